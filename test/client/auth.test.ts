import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient, type FlatpeakError } from "../../src/index.js";
import { apiRequests, json, loginRequests, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const credentials = { accountId: "acc_test", apiKey: "key_test" };
const customer = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_test" };
let server: LocalServer;

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

/** A server that logs in with numbered tokens and answers the API with `answer`. */
async function serverIssuingTokens(answer: (authorization: string | undefined) => [number, unknown], expiresIn = 3600) {
  let issued = 0;
  server = await startLocalServer((request, response) => {
    if (request.url === "/login") return json(response, 200, { bearer_token: `token-${++issued}`, expires_in: expiresIn, live_mode: false });
    const [status, body] = answer(request.headers.authorization);
    json(response, status, body);
  });
  return server;
}

describe("login with accountId and apiKey", () => {
  it("logs in with HTTP Basic and sends the bearer it got", async () => {
    await serverIssuingTokens(() => [200, customer]);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    const { data } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
    expect(loginRequests(server)[0]?.headers.authorization).toBe(`Basic ${btoa("acc_test:key_test")}`);
    expect(apiRequests(server)[0]?.headers.authorization).toBe("Bearer token-1");
  });

  it("reuses the token across calls", async () => {
    await serverIssuingTokens(() => [200, customer]);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    for (let i = 0; i < 3; i++) await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server).map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
  });

  it("logs in exactly once for many concurrent first calls", async () => {
    await serverIssuingTokens(() => [200, customer]);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    const results = await Promise.all(Array.from({ length: 25 }, () => flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } })));
    expect(results.every((result) => result.data?.id === "cus_1")).toBe(true);
    expect(loginRequests(server)).toHaveLength(1);
  });

  it("renews the token in the background shortly before it expires", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await serverIssuingTokens(() => [200, customer], 600);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    vi.advanceTimersByTime(530_000);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(loginRequests(server)).toHaveLength(1);
    vi.advanceTimersByTime(20_000);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    await vi.waitFor(() => expect(loginRequests(server)).toHaveLength(2));
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(apiRequests(server).map((request) => request.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });

  it("drops a rejected token, logs in once more and retries once", async () => {
    await serverIssuingTokens((authorization) => (authorization === "Bearer token-1" ? [401, { code: "unauthorized" }] : [200, customer]));
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    const { data } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
    expect(loginRequests(server)).toHaveLength(2);
    expect(apiRequests(server).map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("treats 403 access_denied on a token that worked before as a rejected token too", async () => {
    let revoked = false;
    await serverIssuingTokens((authorization) =>
      revoked && authorization === "Bearer token-1" ? [403, { object: "error", type: "invalid_request", code: "access_denied" }] : [200, customer],
    );
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    revoked = true;
    const { data } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
    expect(loginRequests(server)).toHaveLength(2);
  });

  it("does not log in again for a 403 with another code", async () => {
    await serverIssuingTokens(() => [403, { object: "error", type: "invalid_request", code: "account_locked" }]);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    const { error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(error).toMatchObject({ status: 403, code: "account_locked" });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(2);
  });

  it.each<[number, string]>([
    [403, "account_locked"],
    [404, "access_denied"],
  ])("does not log in again for a %i %s on a token that worked before", async (status, code) => {
    let refused = false;
    await serverIssuingTokens(() => (refused ? [status, { object: "error", type: "invalid_request", code }] : [200, customer]));
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    refused = true;
    const { error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(error).toMatchObject({ status, code });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(2);
  });

  it("never loops: a token rejected twice yields the error after one retry", async () => {
    await serverIssuingTokens(() => [401, { code: "unauthorized", message: "Bad token" }]);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    const { error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(error).toMatchObject({ status: 401, code: "unauthorized", message: "Bad token" });
    expect(loginRequests(server)).toHaveLength(2);
    expect(apiRequests(server)).toHaveLength(2);
  });

  it("answers the call with the login's error when the credentials are refused", async () => {
    server = await startLocalServer((_request, response) => json(response, 403, { object: "error", type: "invalid_request", code: "access_denied" }));
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    const { error } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(error).toMatchObject({ status: 403, code: "access_denied" });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(0);
  });

  it("never sends a bearer token to /login", async () => {
    await serverIssuingTokens((authorization) => (authorization === "Bearer token-1" ? [401, {}] : [200, customer]));
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    for (const login of loginRequests(server)) expect(login.headers.authorization).toMatch(/^Basic /);
  });
});

describe("bring your own token", () => {
  it("sends a fixed token and does not retry when it is rejected", async () => {
    server = await startLocalServer((_request, response) => json(response, 401, {}));
    const flatpeak = createFlatpeakClient({ token: "mine", baseUrl: server.baseUrl });
    const { error } = await flatpeak.GET("/customers");
    expect(error?.status).toBe(401);
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([["/customers", "Bearer mine"]]);
  });

  it("asks getToken for every request, and once more after a rejection", async () => {
    server = await startLocalServer((request, response) =>
      request.headers.authorization === "Bearer t1" ? json(response, 401, {}) : json(response, 200, customer),
    );
    let calls = 0;
    const flatpeak = createFlatpeakClient({ getToken: async () => `t${++calls}`, baseUrl: server.baseUrl });
    const { data } = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(data?.id).toBe("cus_1");
    expect(calls).toBe(2);
    expect(loginRequests(server)).toHaveLength(0);
  });
});

describe("login grant validation", () => {
  it.each<[string, unknown]>([
    ["expires_in missing", { bearer_token: "t" }],
    ["expires_in 0", { bearer_token: "t", expires_in: 0 }],
    ["expires_in negative", { bearer_token: "t", expires_in: -5 }],
    ["an empty bearer_token", { bearer_token: "", expires_in: 60 }],
    ["a bearer_token that is not a string", { bearer_token: 42, expires_in: 60 }],
  ])("refuses a 2xx login with %s as invalid_response", async (_name, grant) => {
    server = await startLocalServer((_request, response) => json(response, 200, grant));
    const failure = await createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl }).GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET", url: "/login" });
    expect(apiRequests(server)).toHaveLength(0);
  });

  it("refuses a 2xx login whose body is not JSON", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("welcome");
    });
    const failure = await createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl }).GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", message: "GET /login answered 2xx without a usable bearer_token and expires_in" });
    expect((failure as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it("reuses a 60 s token for about 30 s, then renews it", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await serverIssuingTokens(() => [200, customer], 60);
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    vi.advanceTimersByTime(29_000);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(loginRequests(server)).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    await vi.waitFor(() => expect(loginRequests(server)).toHaveLength(2));
  });
});

describe("re-login edges", () => {
  it("keeps a renewed token when a late 401 comes back for the old one", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    let holdOld: (() => void) | undefined;
    let issued = 0;
    server = await startLocalServer(async (request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: `token-${++issued}`, expires_in: 600 });
      if (request.headers.authorization === "Bearer token-1" && request.url.includes("slow")) {
        await new Promise<void>((resolve) => (holdOld = resolve));
        return json(response, 401, { code: "unauthorized" });
      }
      json(response, 200, customer);
    });
    const flatpeak = createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl });
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    const slow = flatpeak.GET("/customers/{id}", { params: { path: { id: "slow" } } });
    await vi.waitFor(() => expect(holdOld).toBeDefined());
    vi.advanceTimersByTime(560_000);
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    await vi.waitFor(() => expect(loginRequests(server)).toHaveLength(2));
    holdOld?.();
    await slow;
    await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
    expect(apiRequests(server).at(-1)?.headers.authorization).toBe("Bearer token-2");
    expect(loginRequests(server)).toHaveLength(2);
  });

  it("refuses a getToken() that resolves to an empty string", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, customer));
    const failure = await createFlatpeakClient({ getToken: () => "", baseUrl: server.baseUrl }).GET("/customers").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(String(failure)).toMatch(/getToken\(\) must resolve to a non-empty string without control characters/);
    expect(server.requests).toHaveLength(0);
  });

  it("sends no request when the signal is already aborted", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, customer));
    const failure = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }).GET("/customers", { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "aborted", url: "/customers" });
    expect(server.requests).toHaveLength(0);
  });

  it("rejects with kind aborted however soon after the token the caller aborts", async () => {
    const outcomes: string[] = [];
    for (let hops = 0; hops < 8; hops++) {
      const controller = new AbortController();
      const abortLater = () => {
        let later = Promise.resolve();
        for (let i = 0; i < hops; i++) later = later.then(() => undefined);
        void later.then(() => controller.abort());
      };
      const flatpeak = createFlatpeakClient({ getToken: () => (abortLater(), "t"), fetch: async () => Response.json({ data: [], has_more: false }) });
      outcomes.push(await flatpeak.GET("/customers", { signal: controller.signal }).then(() => "answered", (error: FlatpeakError) => error.kind));
    }
    expect(outcomes).toEqual(Array(8).fill("aborted"));
  });
});
