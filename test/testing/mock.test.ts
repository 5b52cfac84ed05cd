import { describe, expect, it } from "vitest";
import { MOCK_OPERATIONS } from "../../generated/mock-answers.js";
import { createFlatpeakClient, isFlatpeakError, unwrap } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { operationCalls } from "../contract/calls.js";
import { responseViolations, specOperations } from "../helpers/spec.js";

const customer = { id: "cus_42", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };

function setup(extra: { maxRetries?: number; timeoutMs?: number } = {}) {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch, ...extra });
  return { mock, flatpeak };
}

describe("default answers", () => {
  it("cover every operation of the spec", () => {
    expect(Object.keys(MOCK_OPERATIONS).sort()).toEqual(specOperations().sort());
  });

  it.each(Object.entries(MOCK_OPERATIONS))("%s answers a body that validates against the spec", (key, operation) => {
    expect(responseViolations(key, operation.status, operation.body)).toEqual([]);
  });

  it("answer every typed call of every operation through the client, logging in first", async () => {
    const { mock, flatpeak } = setup();
    for (const [key, call] of Object.entries(operationCalls(flatpeak))) {
      const result = await call({});
      expect(result.error, key).toBeUndefined();
      expect(result.response.status, key).toBe(MOCK_OPERATIONS[key]?.status);
    }
    expect(mock.calls.filter((call) => call.operation === "GET /login").length).toBeGreaterThanOrEqual(1);
    expect(mock.calls.find((call) => call.operation === "GET /login")?.method).toBe("GET");
  });

  it("hands out tokens with a real lifetime", async () => {
    const mock = createMockFlatpeak({ tokenLifetimeSeconds: 90 });
    const response = await mock.fetch("https://api.flatpeak.com/login", { headers: { Authorization: `Basic ${btoa("acc:key")}` } });
    expect(await response.json()).toMatchObject({ bearer_token: "mock_token_1", expires_in: 90 });
    expect(response.headers.get("Flatpeak-Version")).toBe("2025-09-14.anode");
  });
});

describe("handlers", () => {
  it("receive typed parameters and body, and their answers reach the client", async () => {
    const { mock, flatpeak } = setup();
    mock.on("PATCH /customers/{id}", ({ params, body }) => ({ status: 202, body: { ...customer, id: params.path.id, reference_id: body.reference_id ?? "" } }));
    const { data } = await flatpeak.PATCH("/customers/{id}", { params: { path: { id: "cus_7" } }, body: { reference_id: "REF-7" } });
    expect(data).toMatchObject({ id: "cus_7", reference_id: "REF-7" });
    expect(mock.calls.at(-1)).toEqual({ operation: "PATCH /customers/{id}", method: "PATCH", url: "/customers/cus_7", params: { path: { id: "cus_7" }, query: {} }, body: { reference_id: "REF-7" } });
  });

  it("build Flatpeak errors with mock.error", async () => {
    const { mock, flatpeak } = setup();
    mock.on("GET /customers/{id}", () => mock.error(404)).on("POST /prices/{id}", () => mock.error(422, "pending_connect"));
    const missing = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_x" } } });
    expect(missing.error).toMatchObject({ status: 404, code: "not_found", type: "invalid_request" });
    const pending = await flatpeak.POST("/prices/{id}", { params: { path: { id: "loc_1" } }, body: { end_time: "2024-01-01T00:00:00Z" } });
    expect(pending.error).toMatchObject({ status: 422, code: "pending_connect" });
  });

  it("answer once before the lasting handler, then reset", async () => {
    const { mock, flatpeak } = setup();
    mock.on("GET /customers/{id}", () => ({ status: 200, body: customer })).once("GET /customers/{id}", mock.error(404));
    expect((await flatpeak.GET("/customers/{id}", { params: { path: { id: "a" } } })).error?.status).toBe(404);
    expect((await flatpeak.GET("/customers/{id}", { params: { path: { id: "a" } } })).data?.id).toBe("cus_42");
    mock.reset();
    expect(mock.calls).toHaveLength(0);
    expect((await flatpeak.GET("/customers/{id}", { params: { path: { id: "a" } } })).data?.id).toBe(MOCK_OPERATIONS["GET /customers/{id}"]?.body && (MOCK_OPERATIONS["GET /customers/{id}"].body as { id: string }).id);
  });
});

describe("faults", () => {
  it("fails the connection, and the client retries past it", async () => {
    const { mock, flatpeak } = setup();
    mock.once("GET /customers", mock.faults.network());
    expect((await flatpeak.GET("/customers")).data?.object).toBe("list");
    const bare = createFlatpeakClient({ token: "t", fetch: mock.once("GET /customers", mock.faults.network()).fetch, maxRetries: 0 });
    const failure = await bare.GET("/customers").catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("network");
  });

  it("never answers until the request is aborted, as a timeout", async () => {
    const { mock, flatpeak } = setup({ timeoutMs: 100, maxRetries: 0 });
    mock.on("GET /customers", () => mock.faults.timeout());
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("timeout");
  });

  it("answers 429 with Retry-After and 5xx bursts the client retries through", async () => {
    const { mock, flatpeak } = setup({ maxRetries: 3 });
    mock.once("GET /customers", mock.faults.rateLimit(0)).once("GET /customers", mock.faults.serverError(503), 2);
    expect((await flatpeak.GET("/customers")).data?.object).toBe("list");
    expect(mock.calls.filter((call) => call.operation === "GET /customers")).toHaveLength(4);
  });

  it("expires tokens, and the client logs in again", async () => {
    const { mock, flatpeak } = setup();
    await unwrap(flatpeak.GET("/customers"));
    mock.expireTokens();
    expect((await flatpeak.GET("/customers")).data?.object).toBe("list");
    expect(mock.calls.map((call) => call.operation)).toEqual(["GET /login", "GET /customers", "GET /customers", "GET /login", "GET /customers"]);
  });
});

describe("checks like a real server", () => {
  const mock = createMockFlatpeak();
  const authorized = { Authorization: "Bearer t" };

  it("fails loudly on an unknown path or method, naming the nearest operation", async () => {
    await expect(mock.fetch("https://api.flatpeak.com/customer", { headers: authorized })).rejects.toThrow(/no operation GET \/customer; the nearest is GET \/customers/);
    await expect(mock.fetch("https://api.flatpeak.com/customers/cus_1", { method: "PUT", headers: authorized, body: "{}" })).rejects.toThrow(/nearest is (PATCH|GET|DELETE) \/customers\/\{id\}/);
  });

  it("refuses a missing required parameter, a missing or non-JSON body and a missing token", async () => {
    const noBatch = await mock.fetch("https://api.flatpeak.com/meters/batch", { headers: authorized });
    expect([noBatch.status, (await noBatch.json()).message]).toEqual([400, "Query parameter batch_id is required."]);
    const noBody = await mock.fetch("https://api.flatpeak.com/prices/loc_1", { method: "POST", headers: authorized });
    expect(noBody.status).toBe(400);
    const notJson = await mock.fetch("https://api.flatpeak.com/prices/loc_1", { method: "POST", headers: authorized, body: "end_time=soon" });
    expect([notJson.status, (await notJson.json()).message]).toEqual([400, "The request body is not valid JSON."]);
    const anonymous = await mock.fetch("https://api.flatpeak.com/customers");
    expect([anonymous.status, (await anonymous.json()).code]).toEqual([403, "access_denied"]);
  });
});
