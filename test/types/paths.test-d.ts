/**
 * The generated types reject what the spec does not allow and type what it returns.
 */
import createClient from "openapi-fetch";
import { describe, expectTypeOf, it } from "vitest";
import type { components, paths } from "../../generated/flatpeak.js";

type Schemas = components["schemas"];
const client = createClient<paths>({ baseUrl: "http://127.0.0.1:1" });

describe("generated path types", () => {
  it("type a 2xx body by path and method", async () => {
    const { data } = await client.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expectTypeOf(data).toEqualTypeOf<Schemas["Customer"] | undefined>();
    const list = await client.GET("/customers");
    expectTypeOf(list.data?.data).toEqualTypeOf<Schemas["Customer"][] | undefined>();
    expectTypeOf(list.data?.has_more).toEqualTypeOf<boolean | undefined>();
  });

  it("type the error body as the union of the documented error responses", async () => {
    const { error } = await client.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: {} });
    type Documented = components["responses"][403 | 404 | 409 | 422 | 429 | 500]["content"]["application/json"];
    expectTypeOf<Documented>().toExtend<NonNullable<typeof error>>();
    expectTypeOf<components["responses"][429]["content"]["application/json"]["code"]>().toEqualTypeOf<"rate_limit">();
    // @ts-expect-error the seed operation documents no 401 of its own
    expectTypeOf<components["responses"][401]>();
  });

  it("turn enums written in prose into literal unions", () => {
    expectTypeOf<Schemas["TariffDirection"]>().toEqualTypeOf<"IMPORT" | "EXPORT" | "LOCAL">();
    expectTypeOf<Schemas["EnergyFlowDirection"]>().toEqualTypeOf<"INBOUND" | "OUTBOUND">();
    expectTypeOf<Schemas["UnprocessableError"]["code"]>().toEqualTypeOf<
      "account_disabled" | "pending_connect" | "no_tariff_connected" | "no_price_data" | "api_version_not_supported"
    >();
  });

  it("require every field a list envelope documents", () => {
    expectTypeOf<Schemas["LocationList"]>().toHaveProperty("has_more").toEqualTypeOf<boolean>();
    expectTypeOf<Schemas["LocationList"]>().toHaveProperty("data").toEqualTypeOf<Schemas["Location"][]>();
  });

  it("reject paths, bodies and parameters the spec does not have", () => {
    // @ts-expect-error no such path
    void client.GET("/customer/{id}", { params: { path: { id: "cus_1" } } });
    // @ts-expect-error path parameter id is required
    void client.GET("/customers/{id}", { params: { path: {} } });
    // @ts-expect-error PATCH /customers/{id} takes reference_id as a string
    void client.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: 1 } });
    // @ts-expect-error segment is LOW or HIGH
    void client.POST("/schedules/duration/{id}", { params: { path: { id: "loc_1" } }, body: { end_time: "", segment: "MID", duration: 60 } });
    // @ts-expect-error /login has no POST
    void client.POST("/login", {});
  });
});
