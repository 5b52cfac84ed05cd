/**
 * The mock's handlers can only answer what the API documents, and what an
 * integration touches (events, 409s, key sets, recorded calls) is typed
 * without a cast.
 */
import { describe, expectTypeOf, it } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { createMockFlatpeak, createTestWebhookSigner, type MockOperationKey } from "../../src/testing/index.js";
import { createEventRouter, createWebhookVerifier } from "../../src/webhooks/index.js";

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

describe("types that need no cast", () => {
  it("type the data of connect_session.complete from the spec", () => {
    createEventRouter().on("connect_session.complete", (event) => {
      expectTypeOf(event.data.location_id).toEqualTypeOf<string>();
      expectTypeOf(event.data.customer_id).toEqualTypeOf<string | undefined>();
    });
  });

  it("agree with ensureCustomer and ensureDevice on 409 duplicate_reference for POST /customers and POST /devices", async () => {
    mock.once("POST /customers", mock.error(409, "duplicate_reference"));
    mock.once("POST /devices", mock.error(409, "duplicate_reference"));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch });
    const { error } = await flatpeak.POST("/customers", { body: { reference_id: "CUS-1" } });
    if (error?.status === 409) expectTypeOf(error.code).toEqualTypeOf<"duplicate_reference">();
    const device = await flatpeak.POST("/devices", { body: { reference_id: "EVSE-1", location_id: "loc_1" } });
    if (device.error?.status === 409) expectTypeOf(device.error.code).toEqualTypeOf<"duplicate_reference">();
  });

  it("let the test signer's key set answer the mock's GET /jwks.json and feed a verifier", async () => {
    const signer = await createTestWebhookSigner();
    mock.on("GET /jwks.json", () => ({ status: 200, body: signer.jwks }));
    createWebhookVerifier({ keys: signer.jwks });
    createWebhookVerifier({ keys: signer.keys });
    const exported: JsonWebKey = { kty: "RSA", n: "n", e: "AQAB" };
    createWebhookVerifier({ keys: [exported] });
  });

  it("type each recorded call by its operation", () => {
    const call = mock.calls[0];
    if (call?.operation === "POST /prices/{id}") {
      expectTypeOf(call.params.path.id).toEqualTypeOf<string>();
      expectTypeOf(call.body.end_time).toEqualTypeOf<string>();
      expectTypeOf(call.method).toEqualTypeOf<"POST">();
    }
    if (call?.operation === "GET /customers") {
      expectTypeOf(call.params.query.limit).toEqualTypeOf<number | undefined>();
      expectTypeOf(call.body).toEqualTypeOf<undefined>();
    }
    // @ts-expect-error no such operation
    if (call?.operation === "GET /price") void call;
  });
});
