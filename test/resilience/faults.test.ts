/**
 * Injected faults from a scripted loopback server. For each: how many
 * attempts reached the server, what the caller got, and that it came back
 * within a bound (no hang). POST and PATCH are never sent twice; a paginated
 * read that meets a fault resumes from the right cursor.
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, paginate, type FlatpeakClientOptions } from "../../src/index.js";
import { apiRequests, json, loginRequests, startLocalServer, type LocalServer, type RecordedRequest } from "../helpers/local-server.js";

const customer = (id: string) => ({ id, object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" });
const record = { location_id: "loc_1", units: "WH", value: 5, start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-01T00:30:00Z" } as const;
const unavailable = { object: "error", type: "api_error", code: "unavailable", message: "try later" };

type Step = (response: ServerResponse, request: RecordedRequest) => void;
const ok: Step = (response) => json(response, 200, customer("cus_1"));
const status = (code: number, headers: Record<string, string> = {}): Step => (response) => json(response, code, unavailable, headers);
const resetMidBody: Step = (response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": "500" });
  response.write('{"id":"cus_1","obj');
  setTimeout(() => response.socket?.destroy(), 20);
};
const neverEnds: Step = (response) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.write("{");
};
const raw = (code: number, body: string, contentType: string): Step => (response) => {
  response.writeHead(code, { "content-type": contentType });
  response.end(body);
};

let server: LocalServer;
afterEach(async () => server.close());

/** A server that answers API requests with `steps` in turn (the last one repeats); logins always succeed. */
async function scripted(steps: Step[], options: Partial<FlatpeakClientOptions> = {}) {
  let call = 0;
  server = await startLocalServer((request, response) => {
    if (request.url === "/login") return json(response, 200, { bearer_token: "t", expires_in: 3600, live_mode: false });
    steps[Math.min(call++, steps.length - 1)]!(response, request);
  });
  return createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, ...options });
}

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: T | { rejected: unknown }; ms: number }> {
  const start = performance.now();
  const outcome = await work().catch((rejected: unknown) => ({ rejected }));
  return { outcome, ms: performance.now() - start };
}

const getCustomer = (flatpeak: ReturnType<typeof createFlatpeakClient>) => () => flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });

describe("rate limiting", () => {
  it("429 with Retry-After: waits that long, then succeeds on the second attempt", async () => {
    const { outcome, ms } = await timed(getCustomer(await scripted([status(429, { "retry-after": "1" }), ok])));
    expect(outcome).toMatchObject({ data: { id: "cus_1" } });
    expect(apiRequests(server)).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(3_000);
  });

  it("429 without Retry-After: backs off about half a second, then succeeds", async () => {
    const { outcome, ms } = await timed(getCustomer(await scripted([status(429), ok])));
    expect(outcome).toMatchObject({ data: { id: "cus_1" } });
    expect(apiRequests(server)).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(ms).toBeLessThan(2_000);
  });

  it("429 on a POST: surfaced at once as rate_limit, never re-sent", async () => {
    const flatpeak = await scripted([status(429, { "retry-after": "0" }), ok]);
    const { outcome, ms } = await timed(() => flatpeak.POST("/costs/instant", { body: record }));
    expect(outcome).toMatchObject({ error: { status: 429, code: "unavailable" } });
    expect(apiRequests(server)).toHaveLength(1);
    expect(ms).toBeLessThan(1_000);
  });
});

describe("server errors", () => {
  it("a 500/502/503 burst then success: retried through", async () => {
    const steps = [status(500, { "retry-after": "0" }), status(502, { "retry-after": "0" }), status(503, { "retry-after": "0" }), ok];
    const { outcome, ms } = await timed(getCustomer(await scripted(steps, { maxRetries: 3 })));
    expect(outcome).toMatchObject({ data: { id: "cus_1" } });
    expect(apiRequests(server)).toHaveLength(4);
    expect(ms).toBeLessThan(2_000);
  });

  it("a burst longer than maxRetries: the last 503 is surfaced after 1 + maxRetries attempts", async () => {
    const { outcome } = await timed(getCustomer(await scripted([status(503, { "retry-after": "0" })], { maxRetries: 2 })));
    expect(outcome).toMatchObject({ error: { status: 503, type: "api_error", code: "unavailable" } });
    expect(apiRequests(server)).toHaveLength(3);
  });

  it("an HTML error page on a PATCH: a typed 502, sent once", async () => {
    const flatpeak = await scripted([raw(502, "<html><h1>502 Bad Gateway</h1></html>", "text/html")]);
    const { outcome } = await timed(() => flatpeak.PATCH("/devices/{id}", { params: { path: { id: "dev_1" } }, body: { reference_id: "D" } }));
    expect(outcome).toMatchObject({ error: { status: 502, type: "api_error", message: "HTTP 502 Bad Gateway" } });
    expect(apiRequests(server)).toHaveLength(1);
  });

  it("an empty 500 body on a POST: a typed error, sent once", async () => {
    const flatpeak = await scripted([raw(500, "", "application/json")]);
    const { outcome } = await timed(() => flatpeak.POST("/customers", { body: { reference_id: "C" } }));
    expect(outcome).toMatchObject({ error: { status: 500, type: "api_error", message: "HTTP 500 Internal Server Error" } });
    expect(apiRequests(server)).toHaveLength(1);
  });
});

describe("broken transport", () => {
  it("a connection reset mid-body on a GET: retried, and the second answer is used", async () => {
    const { outcome } = await timed(getCustomer(await scripted([resetMidBody, ok])));
    expect(outcome).toMatchObject({ data: { id: "cus_1" } });
    expect(apiRequests(server)).toHaveLength(2);
  });

  it("a connection reset mid-body on a POST: rejected as network, never re-sent", async () => {
    const flatpeak = await scripted([resetMidBody, ok]);
    const { outcome } = await timed(() => flatpeak.POST("/costs/instant", { body: record }));
    expect(outcome).toMatchObject({ rejected: { name: "FlatpeakError", kind: "network", method: "POST", url: "/costs/instant" } });
    expect(apiRequests(server)).toHaveLength(1);
  });

  it("malformed JSON on a 200: rejected as invalid_response, not retried", async () => {
    const { outcome } = await timed(getCustomer(await scripted([raw(200, '{"id": "cus_1",', "application/json"), ok])));
    expect(outcome).toMatchObject({ rejected: { kind: "invalid_response", method: "GET", url: "/customers/cus_1" } });
    expect(apiRequests(server)).toHaveLength(1);
  });

  it("a response that never ends: each attempt times out, then kind timeout", async () => {
    const flatpeak = await scripted([neverEnds], { timeoutMs: 300, maxRetries: 1 });
    const { outcome, ms } = await timed(getCustomer(flatpeak));
    expect(outcome).toMatchObject({ rejected: { kind: "timeout", message: "GET /customers/cus_1 timed out after 300 ms" } });
    expect(apiRequests(server)).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(600);
    expect(ms).toBeLessThan(2_500);
  });
});

describe("login faults", () => {
  it("a refused login: the call answers 403 access_denied; no API request is made", async () => {
    server = await startLocalServer((_request, response) => json(response, 403, { object: "error", type: "invalid_request", code: "access_denied" }));
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "wrong", baseUrl: server.baseUrl });
    const { outcome } = await timed(getCustomer(flatpeak));
    expect(outcome).toMatchObject({ error: { status: 403, code: "access_denied" } });
    expect(loginRequests(server)).toHaveLength(1);
    expect(apiRequests(server)).toHaveLength(0);
  });

  it("a login that fails with 503: retried like any GET, then surfaced", async () => {
    server = await startLocalServer((_request, response) => json(response, 503, unavailable, { "retry-after": "0" }));
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, maxRetries: 1 });
    const { outcome } = await timed(getCustomer(flatpeak));
    expect(outcome).toMatchObject({ error: { status: 503 } });
    expect(loginRequests(server)).toHaveLength(2);
    expect(apiRequests(server)).toHaveLength(0);
  });
});

describe("faults during pagination", () => {
  const ids = Array.from({ length: 95 }, (_, i) => `cus_${String(i).padStart(3, "0")}`);

  function page(request: RecordedRequest) {
    const url = new URL(request.url, "http://x");
    const after = url.searchParams.get("starting_after");
    const start = after === null ? 0 : ids.indexOf(after) + 1;
    return { object: "list", url: "/customers", has_more: start + 10 < ids.length, data: ids.slice(start, start + 10).map(customer) };
  }

  it("a token that expires mid-pagination: one re-login, then the same page again; nothing skipped or repeated", async () => {
    let logins = 0;
    server = await startLocalServer((request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: `token-${++logins}`, expires_in: 3600, live_mode: false });
      const pagesServed = apiRequests(server).length;
      if (pagesServed > 3 && request.headers.authorization === "Bearer token-1") return json(response, 401, { code: "token_expired" });
      json(response, 200, page(request));
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl });
    const seen = (await paginate(flatpeak, "/customers", { params: { query: { limit: 10 } } }).toArray({ limit: 1_000 })).map((c) => c.id);
    expect(seen).toEqual(ids);
    expect(loginRequests(server)).toHaveLength(2);
    const rejected = apiRequests(server)[3]!;
    const retried = apiRequests(server)[4]!;
    expect(rejected.headers.authorization).toBe("Bearer token-1");
    expect(retried.headers.authorization).toBe("Bearer token-2");
    expect(retried.url).toBe(rejected.url);
  });

  it("a transient 503 mid-pagination: the page is fetched again from the same cursor", async () => {
    let failed = false;
    server = await startLocalServer((request, response) => {
      if (!failed && request.url.includes(`starting_after=${ids[29]}`)) {
        failed = true;
        return json(response, 503, unavailable, { "retry-after": "0" });
      }
      json(response, 200, page(request));
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const seen = (await paginate(flatpeak, "/customers", { params: { query: { limit: 10 } } }).toArray({ limit: 1_000 })).map((c) => c.id);
    expect(seen).toEqual(ids);
    const urls = server.requests.map((r) => r.url);
    expect(urls.filter((url) => url.includes(`starting_after=${ids[29]}`))).toHaveLength(2);
    expect(urls).toHaveLength(11);
  });

  it("a page that keeps failing: the iteration throws, after yielding every item before it once", async () => {
    server = await startLocalServer((request, response) =>
      request.url.includes(`starting_after=${ids[19]}`) ? json(response, 503, unavailable, { "retry-after": "0" }) : json(response, 200, page(request)),
    );
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const c of paginate(flatpeak, "/customers", { params: { query: { limit: 10 } } })) seen.push(c.id);
    })().catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 503 });
    expect(seen).toEqual(ids.slice(0, 20));
  });
});
