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

  it("answer every typed call of every operation through the client, logging in first, each answer valid for the spec", async () => {
    const { mock, flatpeak } = setup();
    for (const [key, call] of Object.entries(operationCalls(flatpeak))) {
      const result = await call({});
      expect(result.error, key).toBeUndefined();
      expect(result.response.status, key).toBe(MOCK_OPERATIONS[key]?.status);
      expect(responseViolations(key, result.response.status, result.data), key).toEqual([]);
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

  it("lets a test fail the login, and hands out tokens again after", async () => {
    const { mock, flatpeak } = setup({ maxRetries: 0 });
    mock.once("GET /login", mock.faults.serverError(503));
    expect((await flatpeak.GET("/customers")).error).toMatchObject({ status: 503 });
    expect((await flatpeak.GET("/customers")).data?.object).toBe("list");
    expect(mock.calls.map((call) => call.operation)).toEqual(["GET /login", "GET /login", "GET /customers"]);
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

  it.each([
    ["GET", "/customer", "GET /customers"],
    ["GET", "/custmers/cus_1", "GET /customers/{id}"],
    ["PUT", "/customers/cus_1", "GET /customers/{id}"],
    ["GET", "/locatons/loc_9", "GET /locations/{id}"],
    ["POST", "/price/loc_1", "POST /prices/{id}"],
    ["DELETE", "/device/dev_1", "DELETE /devices/{id}"],
    ["GET", "/meters/batchs", "GET /meters/batch"],
    ["GET", "/events/evt_1/x", "GET /events/{id}"],
    ["POST", "/connect/tokens", "POST /connect/token"],
    ["GET", "/prices/loc_1", "POST /prices/{id}"],
    ["PUT", "/customers", "GET /customers"],
    ["GET", "/customer/cus_1", "GET /customers/{id}"],
    ["POST", "/customers/cus_1", "GET /customers/{id}"],
    ["GET", "/v1/devicez/abc_1", "GET /devices"],
    ["GET", "/onnect/tariff/token", "GET /connect/tariff/token"],
    ["POST", "/login", "GET /login"],
    ["GET", "/jwksXjson", "GET /jwks.json"],
  ])("names %s %s's nearest operation, %s", async (method, path, nearest) => {
    const call = mock.fetch(`https://api.flatpeak.com${path}`, { method, headers: authorized, body: method === "GET" || method === "DELETE" ? null : "{}" });
    await expect(call).rejects.toThrow(`flatpeak-client/testing: the Flatpeak API has no operation ${method} ${path}; the nearest is ${nearest}.`);
  });

  it.each([
    ["GET", "/v1/devices/abc_1", "/v1", "GET /devices/{id}"],
    ["DELETE", "/api/v2/customers/abc_1", "/api/v2", "DELETE /customers/{id}"],
    ["GET", "/a/b/c/login", "/a/b/c", "GET /login"],
  ])("answers %s %s, under a base path, 404 naming the base path %s and %s", async (method, path, basePath, operation) => {
    const answer = await mock.fetch(`https://api.flatpeak.com${path}`, { method, headers: authorized });
    expect([answer.status, (await answer.json()).code]).toEqual([404, "not_found"]);
    expect(mock.calls).toEqual([]);
    const message = (await (await mock.fetch(`https://api.flatpeak.com${path}`, { method, headers: authorized })).json()).message;
    expect(message).toBe(`flatpeak-client/testing: ${method} ${path} has a path before the API's own, ${operation}: the client's baseUrl ends in ${basePath}; give it a baseUrl without a path, such as https://api.flatpeak.com.`);
  });

  it("looks for the API's paths under at most three leading segments", async () => {
    await expect(mock.fetch("https://api.flatpeak.com/a/b/c/d/customers", { headers: authorized })).rejects.toThrow("has no operation GET /a/b/c/d/customers");
  });

  it("gives a client whose baseUrl has a path an HTTP 404 that names it, whether it logs in or not", async () => {
    for (const credentials of [{ token: "mock_token_1" }, { accountId: "acc_test", apiKey: "key" }]) {
      const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: "https://api.flatpeak.com/v1", fetch: mock.fetch });
      const failure = await unwrap(flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } })).catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: "http", status: 404, code: "not_found" });
      expect((failure as Error).message).toContain("the client's baseUrl ends in /v1; give it a baseUrl without a path");
    }
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

describe("answers, exactly", () => {
  const api = "https://api.flatpeak.com";
  const basic = { Authorization: `Basic ${btoa("acc:key")}` };

  async function login(mock: ReturnType<typeof createMockFlatpeak>): Promise<string> {
    const response = await mock.fetch(`${api}/login`, { headers: basic });
    return ((await response.json()) as { bearer_token: string }).bearer_token;
  }

  it("logs in only with HTTP Basic, and hands out a test-mode token as JSON with the version header", async () => {
    const mock = createMockFlatpeak();
    for (const headers of [{}, { Authorization: "Bearer t" }, { Authorization: `xBasic ${btoa("acc:key")}` }]) {
      const refused = await mock.fetch(`${api}/login`, { headers });
      expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([403, "access_denied"]);
    }
    const response = await mock.fetch(new Request(`${api}/login`, { headers: basic }));
    expect([response.headers.get("content-type"), response.headers.get("flatpeak-version")]).toEqual(["application/json", "2025-09-14.anode"]);
    expect(await response.json()).toEqual({ bearer_token: "mock_token_1", expires_in: 3600, live_mode: false });
  });

  it("takes only a Bearer token at the start of Authorization", async () => {
    const mock = createMockFlatpeak();
    const answers = [];
    for (const authorization of ["Bearer own-token", "xBearer own-token", "Bearer "]) {
      answers.push((await mock.fetch(`${api}/customers`, { headers: { Authorization: authorization } })).status);
    }
    expect(answers).toEqual([200, 403, 403]);
  });

  it("expires every token it issued and every token it saw, its own or not", async () => {
    const mock = createMockFlatpeak();
    const [first, second] = [await login(mock), await login(mock)];
    await mock.fetch(`${api}/customers`, { headers: { Authorization: "Bearer own-token" } });
    mock.expireTokens();
    const statuses = [];
    for (const token of [first, second, "own-token"]) statuses.push((await mock.fetch(`${api}/customers`, { headers: { Authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([403, 403, 403]);
    expect((await mock.fetch(`${api}/customers`, { headers: { Authorization: `Bearer ${await login(mock)}` } })).status).toBe(200);
  });

  it("uses the init given with a Request", async () => {
    const mock = createMockFlatpeak();
    const response = await mock.fetch(new Request(`${api}/customers`), { method: "POST", headers: { Authorization: "Bearer t" }, body: JSON.stringify({ reference_id: "C-1" }) });
    expect(response.status).toBe(MOCK_OPERATIONS["POST /customers"]?.status);
    expect(mock.calls.at(-1)).toMatchObject({ operation: "POST /customers", method: "POST", body: { reference_id: "C-1" } });
  });

  it("records the query as the server reads it, numbers and booleans as such, and no body for a call without one", async () => {
    const mock = createMockFlatpeak();
    await mock.fetch(`${api}/customers?limit=5&reference_id=a&reference_id=b`, { headers: { Authorization: "Bearer t" } });
    expect(mock.calls.at(-1)).toEqual({ operation: "GET /customers", method: "GET", url: "/customers?limit=5&reference_id=a&reference_id=b", params: { path: {}, query: { limit: 5, reference_id: ["a", "b"] } }, body: undefined });
    await mock.fetch(`${api}/costs/instant?non_persistent=true`, { method: "POST", headers: { Authorization: "Bearer t" }, body: JSON.stringify({ location_id: "loc_1", units: "WH", value: 1, start_time: "2026-01-01T00:00:00Z", end_time: "2026-01-01T00:30:00Z" }) });
    expect(mock.calls.at(-1)?.params.query).toEqual({ non_persistent: true });
    for (const [query, message] of [
      ["limit=five", "Query parameter limit must be an integer."],
      ["limit=2.5", "Query parameter limit must be an integer."],
      ["limit=5&limit=x", "Query parameter limit must be an integer."],
    ]) {
      const refused = await mock.fetch(`${api}/customers?${query}`, { headers: { Authorization: "Bearer t" } });
      expect([refused.status, (await refused.json()).message]).toEqual([400, message]);
    }
    const notBoolean = await mock.fetch(`${api}/costs/instant?non_persistent=yes`, { method: "POST", headers: { Authorization: "Bearer t" }, body: "{}" });
    expect([notBoolean.status, (await notBoolean.json()).message]).toEqual([400, "Query parameter non_persistent must be true or false."]);
    await mock.fetch(`${api}/customers/cus%201`, { headers: { Authorization: "Bearer t" } });
    expect(mock.calls.at(-1)?.params.path).toEqual({ id: "cus 1" });
  });

  it("refuses a required body that is missing, with Flatpeak's error body", async () => {
    const mock = createMockFlatpeak();
    const response = await mock.fetch(`${api}/prices/loc_1`, { method: "POST", headers: { Authorization: "Bearer t" } });
    expect([response.status, await response.json()]).toEqual([
      400,
      { object: "error", type: "invalid_request", code: "invalid_request", message: "A JSON request body is required.", live_mode: false },
    ]);
  });

  it.each<[number, string, string]>([
    [400, "invalid_request", "invalid_request"],
    [401, "invalid_request", "unauthorized"],
    [403, "invalid_request", "access_denied"],
    [404, "invalid_request", "not_found"],
    [408, "invalid_request", "request_timeout"],
    [409, "conflict", "duplicate_reference"],
    [418, "invalid_request", "invalid_request"],
    [429, "rate_limit", "rate_limit"],
    [499, "invalid_request", "invalid_request"],
    [500, "api_error", "api_error"],
    [503, "api_error", "api_error"],
  ])("builds the error body of %i with the client's default type and code", (status, type, code) => {
    const answer = createMockFlatpeak().error(status);
    expect(answer).toEqual({ status, body: { object: "error", type, code, message: `Mock answer ${status}`, live_mode: false, time_created: expect.any(String) } });
    expect(Number.isNaN(Date.parse(answer.body.time_created))).toBe(false);
  });

  it("answers without a body for 204 and for a handler that gives none", async () => {
    const mock = createMockFlatpeak()
      .on("DELETE /customers/{id}", () => ({ status: 204, body: { ignored: true } }) as never)
      .on("GET /customers/{id}", () => ({ status: 200, body: undefined }) as never);
    const headers = { Authorization: "Bearer t" };
    const deleted = await mock.fetch(`${api}/customers/cus_1`, { method: "DELETE", headers });
    const empty = await mock.fetch(`${api}/customers/cus_1`, { headers });
    expect([deleted.status, await deleted.text(), empty.status, await empty.text()]).toEqual([204, "", 200, ""]);
  });

  it("gives each fault as documented: rate limit with Retry-After, 5xx, a failed connection, an answer that waits for abort", async () => {
    const mock = createMockFlatpeak();
    const headers = { Authorization: "Bearer t" };
    mock.once("GET /customers", mock.faults.rateLimit()).once("GET /customers", mock.faults.rateLimit(7)).once("GET /customers", mock.faults.serverError());
    mock.once("GET /customers", mock.faults.serverError(502)).once("GET /customers", mock.faults.network());
    const limited = await mock.fetch(`${api}/customers`, { headers });
    expect([limited.status, limited.headers.get("retry-after"), ((await limited.json()) as { code: string }).code]).toEqual([429, "1", "rate_limit"]);
    expect((await mock.fetch(`${api}/customers`, { headers })).headers.get("retry-after")).toBe("7");
    expect((await mock.fetch(`${api}/customers`, { headers })).status).toBe(503);
    expect((await mock.fetch(`${api}/customers`, { headers })).status).toBe(502);
    const failure = await mock.fetch(`${api}/customers`, { headers }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect([(failure as Error).message, ((failure as Error).cause as Error).message]).toEqual(["fetch failed", "mock network failure"]);

    mock.on("GET /customers", () => mock.faults.timeout());
    const already = AbortSignal.abort(new Error("gave up before"));
    await expect(mock.fetch(`${api}/customers`, { headers, signal: already })).rejects.toThrow("gave up before");
    const controller = new AbortController();
    const waiting = mock.fetch(`${api}/customers`, { headers, signal: controller.signal });
    let settled = false;
    void waiting.catch(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    controller.abort(new Error("gave up later"));
    await expect(waiting).rejects.toThrow("gave up later");
  });
});
