/**
 * The mock's handlers can only answer what the API documents.
 */
import { describe, expectTypeOf, it } from "vitest";
import { createMockFlatpeak, type MockOperationKey } from "../../src/testing/index.js";

const mock = createMockFlatpeak();
const customer = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };

describe("mock handlers", () => {
  it("are keyed by documented operations only", () => {
    expectTypeOf<"GET /customers/{id}">().toExtend<MockOperationKey>();
    // @ts-expect-error no such operation
    mock.on("GET /customer/{id}", () => mock.faults.network());
    // @ts-expect-error PUT is not an operation of this path
    mock.on("PUT /customers/{id}", () => mock.faults.network());
  });

  it("receive typed parameters and bodies", () => {
    mock.on("PATCH /customers/{id}", ({ params, body }) => {
      expectTypeOf(params.path.id).toEqualTypeOf<string>();
      expectTypeOf(body.reference_id).toEqualTypeOf<string | undefined>();
      return { status: 202, body: customer };
    });
    mock.on("GET /customers", ({ params }) => {
      expectTypeOf(params.query.limit).toEqualTypeOf<number | undefined>();
      // @ts-expect-error GET /customers has no path parameters
      void params.path.id;
      return { status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } };
    });
  });

  it("answer only documented statuses with bodies of their schema", () => {
    mock.on("GET /customers/{id}", () => ({ status: 200, body: customer }));
    // @ts-expect-error GET /customers/{id} documents no 409
    mock.on("GET /customers/{id}", () => ({ status: 409, body: customer }));
    // @ts-expect-error a customer needs its id, object, live_mode, time_created and account_id
    mock.on("GET /customers/{id}", () => ({ status: 200, body: { id: "cus_1" } }));
    // @ts-expect-error has_more is a boolean
    mock.on("GET /customers", () => ({ status: 200, body: { object: "list", url: "/customers", has_more: "no", data: [] } }));
  });

  it("build errors with the documented codes", () => {
    mock.on("GET /customers/{id}", () => mock.error(404));
    mock.on("POST /prices/{id}", () => mock.error(422, "pending_connect"));
    // @ts-expect-error not a documented 422 code
    mock.error(422, "pending");
    // @ts-expect-error 422 needs its code
    mock.error(422);
    // @ts-expect-error GET /customers/{id} documents no 409
    mock.on("GET /customers/{id}", () => mock.error(409));
  });
});
