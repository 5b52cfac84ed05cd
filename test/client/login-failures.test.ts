import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient, isFlatpeakError, type FlatpeakPlugin } from "../../src/index.js";
import { recordedEvents } from "../helpers/events.js";
import { apiRequests, json, loginRequests, startLocalServer, type LocalServer, type RecordedRequest } from "../helpers/local-server.js";

const credentials = { accountId: "acc_test", apiKey: "key_test" };
const customer = { id: "cus_1", object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_test" };
const accessDenied = { object: "error", type: "invalid_request", code: "access_denied", message: "Access denied" };
const getCustomer = { params: { path: { id: "cus_1" } } } as const;
let server: LocalServer;

afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

/** A gate a scripted login waits behind until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

interface Script {
  /** Answers logins in turn; past the end, numbered tokens that live `expiresIn` seconds. */
  logins?: Array<(request: RecordedRequest) => Promise<[number, unknown]> | [number, unknown]>;
  expiresIn?: number;
  api?: (authorization: string | undefined, request: RecordedRequest) => [number, unknown];
}

async function scriptedServer({ logins = [], expiresIn = 3600, api = () => [200, customer] }: Script) {
  let issued = 0;
  server = await startLocalServer(async (request, response) => {
    if (request.url === "/login") {
      const script = logins[loginRequests(server).length - 1];
      const [status, body] = script ? await script(request) : [200, { bearer_token: `token-${++issued}`, expires_in: expiresIn, live_mode: false }];
      return json(response, status, body);
    }
    const [status, body] = api(request.headers.authorization, request);
    json(response, status, body);
  });
  return server;
}

function clientOf(extra: { maxRetries?: number; timeoutMs?: number; use?: FlatpeakPlugin[] } = {}) {
  return createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl, maxRetries: 0, ...extra });
}

describe("a failed login under concurrency", () => {
  it("gives every waiting call its own typed error from one login, and does not cache the failure", async () => {
    await scriptedServer({ logins: [() => [403, accessDenied]] });
    const flatpeak = clientOf();
    const results = await Promise.all(Array.from({ length: 10 }, () => flatpeak.GET("/customers/{id}", getCustomer)));
    for (const { error, data } of results) {
      expect(data).toBeUndefined();
      expect(error).toEqual({ ...accessDenied, status: 403 });
    }
    expect(new Set(results.map((result) => result.error)).size).toBe(10);
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(0);

    const { data } = await flatpeak.GET("/customers/{id}", getCustomer);
    expect(data?.id).toBe("cus_1");
    expect(loginRequests(server)).toHaveLength(2);
  });

  it("types a 5xx login that fails for every waiting call", async () => {
    await scriptedServer({ logins: [() => [500, "<html>oops</html>"]] });
    const flatpeak = clientOf();
    const results = await Promise.all(Array.from({ length: 5 }, () => flatpeak.GET("/customers")));
    for (const { error } of results) expect(error).toMatchObject({ status: 500, type: "api_error", code: "api_error" });
    expect(loginRequests(server)).toHaveLength(1);
  });
});

describe("abort while waiting for a token", () => {
  it("rejects the aborted call at once and lets the shared login serve the others", async () => {
    const login = gate();
    await scriptedServer({ logins: [async () => (await login.opened, [200, { bearer_token: "token-1", expires_in: 3600 }])] });
    const flatpeak = clientOf();
    const controller = new AbortController();
    const aborted = flatpeak.GET("/customers/{id}", { ...getCustomer, signal: controller.signal }).catch((error: unknown) => error);
    const other = flatpeak.GET("/customers/{id}", getCustomer);
    await vi.waitFor(() => expect(loginRequests(server)).toHaveLength(1));
    const abortedAt = performance.now();
    controller.abort();
    const failure = await aborted;
    expect(performance.now() - abortedAt).toBeLessThan(100);
    expect(isFlatpeakError(failure) && failure.kind).toBe("aborted");
    login.open();
    expect((await other).data?.id).toBe("cus_1");
    expect(apiRequests(server).map((request) => request.headers.authorization)).toEqual(["Bearer token-1"]);
  });

  it("rejects a call whose signal is already aborted without waiting for the login", async () => {
    const login = gate();
    await scriptedServer({ logins: [async () => (await login.opened, [200, { bearer_token: "token-1", expires_in: 3600 }])] });
    const failure = await clientOf().GET("/customers", { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    login.open();
    expect(isFlatpeakError(failure) && failure.kind).toBe("aborted");
    expect(apiRequests(server)).toHaveLength(0);
  });

  it("bounds the shared login by timeoutMs", async () => {
    await scriptedServer({ logins: [() => new Promise<never>(() => undefined)] });
    const startedAt = performance.now();
    const failure = await clientOf({ timeoutMs: 200 }).GET("/customers").catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("timeout");
    expect(performance.now() - startedAt).toBeLessThan(1500);
  });
});

describe("renewal never blocks", () => {
  it("keeps serving the valid token while one background login renews it", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const renewal = gate();
    await scriptedServer({
      logins: [() => [200, { bearer_token: "token-1", expires_in: 600 }], async () => (await renewal.opened, [200, { bearer_token: "token-2", expires_in: 600 }])],
    });
    const flatpeak = clientOf();
    await flatpeak.GET("/customers/{id}", getCustomer);
    vi.advanceTimersByTime(560_000);
    const during = await Promise.all(Array.from({ length: 5 }, () => flatpeak.GET("/customers/{id}", getCustomer)));
    expect(during.every((result) => result.data?.id === "cus_1")).toBe(true);
    expect(apiRequests(server).map((request) => request.headers.authorization)).toEqual(Array(6).fill("Bearer token-1"));
    expect(loginRequests(server)).toHaveLength(2);
    renewal.open();
    await vi.waitFor(async () => {
      await flatpeak.GET("/customers/{id}", getCustomer);
      expect(apiRequests(server).at(-1)?.headers.authorization).toBe("Bearer token-2");
    });
    expect(loginRequests(server)).toHaveLength(2);
  });

  it("does not fail calls when the renewal fails while the old token is valid, says so in the log and tries again later", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await scriptedServer({
      logins: [() => [200, { bearer_token: "token-1", expires_in: 600 }], () => [503, { code: "unavailable" }], () => [200, { bearer_token: "token-3", expires_in: 600 }]],
    });
    const { events: log, plugin } = recordedEvents();
    const flatpeak = clientOf({ use: [plugin] });
    await flatpeak.GET("/customers/{id}", getCustomer);
    vi.advanceTimersByTime(560_000);
    for (let i = 0; i < 3; i++) expect((await flatpeak.GET("/customers/{id}", getCustomer)).data?.id).toBe("cus_1");
    await vi.waitFor(() => expect(log.map((event) => event.type)).toContain("login_failed"));
    expect(log.find((event) => event.type === "login_failed")).toMatchObject({ status: 503 });
    expect(apiRequests(server).every((request) => request.headers.authorization === "Bearer token-1")).toBe(true);
    expect(loginRequests(server)).toHaveLength(2);

    vi.advanceTimersByTime(6_000);
    await flatpeak.GET("/customers/{id}", getCustomer);
    await vi.waitFor(() => expect(loginRequests(server)).toHaveLength(3));
    await vi.waitFor(async () => {
      await flatpeak.GET("/customers/{id}", getCustomer);
      expect(apiRequests(server).at(-1)?.headers.authorization).toBe("Bearer token-3");
    });
  });

  it("logs in before a call once the token has really expired", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    await scriptedServer({ expiresIn: 600 });
    const flatpeak = clientOf();
    await flatpeak.GET("/customers/{id}", getCustomer);
    vi.advanceTimersByTime(601_000);
    await flatpeak.GET("/customers/{id}", getCustomer);
    expect(apiRequests(server).map((request) => request.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("tracks expiry on a monotonic clock: a wall-clock jump neither expires nor extends a token", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await scriptedServer({ expiresIn: 600 });
    const flatpeak = clientOf();
    await flatpeak.GET("/customers/{id}", getCustomer);
    vi.setSystemTime(Date.now() + 10 * 3600_000);
    await flatpeak.GET("/customers/{id}", getCustomer);
    vi.setSystemTime(Date.now() - 20 * 3600_000);
    await flatpeak.GET("/customers/{id}", getCustomer);
    expect(loginRequests(server)).toHaveLength(1);
  });
});

describe("no login storms on 403", () => {
  const forbidden = (): [number, unknown] => [403, accessDenied];

  it("returns a 403 on a token obtained after the call started as it is", async () => {
    await scriptedServer({ api: forbidden });
    const { error } = await clientOf().GET("/customers/{id}", getCustomer);
    expect(error).toMatchObject({ status: 403, code: "access_denied" });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(1);
  });

  it("makes at most one extra login for 100 concurrent, then 100 sequential, calls to a forbidden resource", async () => {
    await scriptedServer({ api: (_authorization, request) => (request.url.startsWith("/devices") ? forbidden() : [200, customer]) });
    const flatpeak = clientOf();
    await flatpeak.GET("/customers/{id}", getCustomer);
    const concurrent = await Promise.all(Array.from({ length: 100 }, () => flatpeak.GET("/devices/{id}", { params: { path: { id: "dev_1" } } })));
    for (let i = 0; i < 100; i++) concurrent.push(await flatpeak.GET("/devices/{id}", { params: { path: { id: "dev_1" } } }));
    expect(concurrent.every((result) => result.error?.status === 403)).toBe(true);
    expect(loginRequests(server).length).toBeLessThanOrEqual(2);
  });

  it("still logs in again once when a token that used to work is refused with 403", async () => {
    let revoked = false;
    await scriptedServer({ api: (authorization) => (revoked && authorization === "Bearer token-1" ? forbidden() : [200, customer]) });
    const flatpeak = clientOf();
    await flatpeak.GET("/customers/{id}", getCustomer);
    revoked = true;
    const { data } = await flatpeak.GET("/customers/{id}", getCustomer);
    expect(data?.id).toBe("cus_1");
    expect(apiRequests(server).map((request) => request.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
  });
});

describe("the login request and its answer", () => {
  it("asks for JSON with HTTP Basic, and keeps a Flatpeak-Version given in the headers option", async () => {
    await scriptedServer({});
    await createFlatpeakClient({ ...credentials, baseUrl: server.baseUrl, headers: { "Flatpeak-Version": "2025-01-01.pinned" } }).GET("/customers/{id}", getCustomer);
    const [login] = loginRequests(server);
    expect([login?.headers.accept, login?.headers.authorization, login?.headers["flatpeak-version"]]).toEqual(["application/json", `Basic ${btoa("acc_test:key_test")}`, "2025-01-01.pinned"]);
  });

  it.each<[string, unknown, string]>([
    ["a body that is not JSON", "<html>", "GET /login answered 2xx without a usable bearer_token and expires_in"],
    ["expires_in as text", { bearer_token: "t", expires_in: "3600" }, "GET /login answered 2xx without a usable bearer_token and expires_in"],
    ["a bearer_token that is a number", { bearer_token: 42, expires_in: 3600 }, "GET /login answered 2xx without a usable bearer_token and expires_in"],
  ])("refuses a 2xx login with %s as invalid_response, saying why", async (_name, body, message) => {
    server = await startLocalServer((request, response) => {
      if (typeof body === "string") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(body);
      } else json(response, 200, body);
    });
    const failure = await clientOf().GET("/customers/{id}", getCustomer).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET", url: "/login", message });
    expect(apiRequests(server)).toHaveLength(0);
  });
});

describe("tokens from getToken", () => {
  it.each([42, null, undefined, "bad\ntoken"])("refuses %j with a TypeError before sending", async (token) => {
    await scriptedServer({});
    const flatpeak = createFlatpeakClient({ getToken: () => token as string, baseUrl: server.baseUrl });
    await expect(flatpeak.GET("/customers/{id}", getCustomer)).rejects.toThrow(
      new TypeError("getToken() must resolve to a non-empty string without control characters."),
    );
    expect(server.requests).toHaveLength(0);
  });
});
