/**
 * What the client's types promise: errors narrowed by status and code,
 * data only after narrowing, paginate only on list paths.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  completeConnect,
  createFlatpeakClient,
  paginate,
  ensureCustomer,
  ensureLocation,
  startConnect,
  unwrap,
  uploadMeterRecords,
  waitForTariff,
  type ConnectLaunch,
  type ConnectOutcome,
  type MeterUploadResult,
  isFlatpeakError,
  type FlatpeakErrorBody,
  type FlatpeakErrorCode,
  type FlatpeakError,
  type KnownFlatpeakErrorCode,
  type FlatpeakErrorKind,
  type Paginator,
  type UnprocessableCode,
  type components,
} from "../../src/index.js";

type Schemas = components["schemas"];
const flatpeak = createFlatpeakClient({ token: "t" });

describe("error narrowing", () => {
  it("discriminates error bodies by status and narrows each code", async () => {
    const { error } = await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_1" } }, body: { reference_id: "R" } });
    if (!error) return;
    expectTypeOf(error.status).toEqualTypeOf<400 | 401 | 403 | 404 | 408 | 409 | 422 | 429 | 500 | 502 | 503 | 504>();
    if (error.status === 404) expectTypeOf(error.code).toEqualTypeOf<"not_found">();
    if (error.status === 409) expectTypeOf(error.code).toEqualTypeOf<"duplicate_reference">();
    if (error.status === 403) expectTypeOf(error.code).toEqualTypeOf<"access_denied">();
    if (error.status === 429) expectTypeOf(error.code).toEqualTypeOf<"rate_limit">();
    if (error.status === 422) expectTypeOf(error.code).toEqualTypeOf<UnprocessableCode>();
    if (error.status === 503) expectTypeOf(error.code).toEqualTypeOf<string>();
    expectTypeOf(error.message).toEqualTypeOf<string>();
  });

  it("types the 422 codes of price-dependent operations", async () => {
    const { error } = await flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { end_time: "2024-01-01T00:00:00Z" } });
    if (error?.status === 422) {
      expectTypeOf(error.code).toEqualTypeOf<UnprocessableCode>();
      expectTypeOf<UnprocessableCode>().toEqualTypeOf<
        "account_disabled" | "pending_connect" | "no_tariff_connected" | "no_price_data" | "api_version_not_supported"
      >();
    }
  });

  it("only offers the statuses an operation can answer", async () => {
    const { error } = await flatpeak.GET("/customers");
    if (!error) return;
    // @ts-expect-error GET /customers documents no 409
    if (error.status === 409) return;
    // @ts-expect-error nor a 202
    if (error.status === 202) return;
  });

  it("makes data available only after narrowing", async () => {
    const result = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    // @ts-expect-error data may be undefined before the error is ruled out
    void result.data.id;
    if (result.error) return;
    expectTypeOf(result.data).toEqualTypeOf<Schemas["Customer"]>();
  });

  it("types thrown errors", () => {
    expectTypeOf<FlatpeakError["kind"]>().toEqualTypeOf<FlatpeakErrorKind>();
    expectTypeOf<FlatpeakErrorKind>().toEqualTypeOf<"http" | "network" | "timeout" | "aborted" | "invalid_response">();
    expectTypeOf<FlatpeakErrorBody<404>["code"]>().toEqualTypeOf<"not_found">();
  });
});

describe("paginate", () => {
  it("yields the item type of the list path", () => {
    expectTypeOf(paginate(flatpeak, "/customers")).toEqualTypeOf<Paginator<Schemas["Customer"]>>();
    expectTypeOf(paginate(flatpeak, "/tariffs", { params: { query: { location_id: "loc_1" } } })).toEqualTypeOf<Paginator<Schemas["Tariff"]>>();
  });

  it("accepts list paths only", () => {
    // @ts-expect-error a single customer is not a list
    paginate(flatpeak, "/customers/{id}");
    // @ts-expect-error /meters/batch answers one batch, not a list
    paginate(flatpeak, "/meters/batch");
  });

  it("checks the query of the list path", () => {
    // @ts-expect-error /customers has no customer_id filter
    paginate(flatpeak, "/customers", { params: { query: { customer_id: "cus_1" } } });
  });
});

describe("options", () => {
  it("rejects options of the wrong type", () => {
    // @ts-expect-error timeoutMs is a number of milliseconds
    createFlatpeakClient({ token: "t", timeoutMs: "30s" });
    // @ts-expect-error getToken returns the token
    createFlatpeakClient({ getToken: () => 42 });
  });
});

describe("integration helpers", () => {
  it("unwrap returns data that is never undefined", async () => {
    const customer = await unwrap(flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }));
    expectTypeOf(customer).toEqualTypeOf<Schemas["Customer"]>();
    expectTypeOf(customer.id).toEqualTypeOf<string>();
  });

  it("types what the flows return", async () => {
    expectTypeOf(startConnect(flatpeak, { connect_url: "x", callback_url: "y" })).resolves.toEqualTypeOf<ConnectLaunch>();
    expectTypeOf(completeConnect(flatpeak, "cot_1")).resolves.toEqualTypeOf<ConnectOutcome>();
    expectTypeOf<ConnectOutcome["action"]>().toEqualTypeOf<"SAVE" | "DISCONNECT" | undefined>();
    expectTypeOf(waitForTariff(flatpeak, { locationId: "loc_1" })).resolves.toEqualTypeOf<Schemas["Price"]>();
    expectTypeOf(uploadMeterRecords(flatpeak, [])).resolves.toEqualTypeOf<MeterUploadResult>();
    expectTypeOf(ensureLocation(flatpeak, { reference_id: "L" })).resolves.toEqualTypeOf<Schemas["Location"]>();
    // @ts-expect-error ensure needs a reference_id to find the object again
    void ensureCustomer(flatpeak, {});
    // @ts-expect-error connect_url is required
    void startConnect(flatpeak, { callback_url: "y" });
  });
});

describe("per-call options and error details", () => {
  it("types retry and deadlineMs on every call", async () => {
    await flatpeak.POST("/customers", { body: { reference_id: "C" }, retry: true });
    await flatpeak.GET("/customers", { retry: false, deadlineMs: 2_000 });
    await flatpeak.request("get", "/customers", { retry: false });
    // @ts-expect-error retry is a boolean
    await flatpeak.GET("/customers", { retry: "yes" });
    // @ts-expect-error deadlineMs is a number of milliseconds
    await flatpeak.GET("/customers", { deadlineMs: "2s" });
  });

  it("takes only known codes in isFlatpeakError, and any code on FlatpeakError", () => {
    const caught: unknown = undefined;
    if (isFlatpeakError(caught, "pending_connect")) expectTypeOf(caught.code).toEqualTypeOf<FlatpeakErrorCode | undefined>();
    // @ts-expect-error a typo of pending_connect
    isFlatpeakError(caught, "pending_conect");
    expectTypeOf<"a_code_added_later">().toMatchTypeOf<FlatpeakErrorCode>();
    expectTypeOf<"not_found" | "rate_limit" | "api_error" | "request_timeout">().toMatchTypeOf<KnownFlatpeakErrorCode>();
    expectTypeOf<FlatpeakError["retryAfterMs"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<FlatpeakError["headers"]>().toEqualTypeOf<Readonly<Record<string, string>> | undefined>();
  });
});
