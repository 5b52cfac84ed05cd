import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, isFlatpeakError, type FlatpeakClientOptions } from "../../src/index.js";
import { apiRequests, json, loginRequests, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const batch = { id: "bat_1", object: "meter_batch", records_submitted: 2, records_accepted: 2, records_processed: 0, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };
const records = [1, 2].map((value) => ({ location_id: "loc_1", units: "WH" as const, value, start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-01T00:30:00Z" }));
let server: LocalServer;
afterEach(async () => server.close());

type FetchOption = NonNullable<FlatpeakClientOptions["fetch"]>;

/** The `fetch` shapes the README shows, each with what it saw. */
function shapes(): Array<[string, FetchOption, string[]]> {
  const logged: string[] = [];
  const signed: string[] = [];
  return [
    ["forwards the Request only", (request) => globalThis.fetch(request), []],
    ["forwards the Request and init", (request, init) => globalThis.fetch(request, init), []],
    [
      "reads the body to log it, then forwards a clone",
      async (request) => {
        logged.push(`${request.method} ${await request.clone().text()}`);
        return globalThis.fetch(request);
      },
      logged,
    ],
    [
      "reads the body to sign it, then sends its own request",
      async (request) => {
        const body = request.body === null ? null : await request.text();
        signed.push(body ?? "");
        const headers = new Headers(request.headers);
        headers.set("X-Signature", String(body?.length ?? 0));
        return globalThis.fetch(request.url, { method: request.method, headers, body, signal: request.signal });
      },
      signed,
    ],
  ];
}

describe.each(shapes())("a custom fetch that %s", (_name, fetch, seen) => {
  it("has its PUT retried with the whole body every time", async () => {
    let calls = 0;
    server = await startLocalServer((_request, response) => (++calls < 3 ? json(response, 503, {}, { "retry-after": "0" }) : json(response, 200, batch)));
    const { data } = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, fetch }).PUT("/meters/interval", { body: records });
    expect(data?.id).toBe("bat_1");
    expect(server.requests.map((request) => request.body)).toEqual(Array(3).fill(JSON.stringify(records)));
    if (seen.length > 0) expect(seen.map((line) => line.endsWith(JSON.stringify(records)))).toEqual([true, true, true]);
  });

  it("times out an attempt that never answers", async () => {
    server = await startLocalServer(() => undefined);
    const startedAt = performance.now();
    const failure = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, fetch, timeoutMs: 150, maxRetries: 1 })
      .GET("/customers")
      .catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("timeout");
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - startedAt).toBeLessThan(2000);
  });

  it("logs in again after a rejected token and re-sends the body", async () => {
    let issued = 0;
    server = await startLocalServer((request, response) => {
      if (request.url === "/login") return json(response, 200, { bearer_token: `token-${++issued}`, expires_in: 3600 });
      return request.headers.authorization === "Bearer token-1" ? json(response, 401, {}) : json(response, 200, batch);
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, fetch });
    const { data } = await flatpeak.PUT("/meters/interval", { body: records });
    expect(data?.id).toBe("bat_1");
    expect(loginRequests(server)).toHaveLength(2);
    expect(apiRequests(server).map((request) => [request.headers.authorization, request.body])).toEqual([
      ["Bearer token-1", JSON.stringify(records)],
      ["Bearer token-2", JSON.stringify(records)],
    ]);
  });

  it("stops when the caller aborts", async () => {
    server = await startLocalServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const failure = await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, fetch })
      .GET("/customers", { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("aborted");
  });
});

describe("a custom fetch", () => {
  it("gets a fresh Request on every attempt, each with its own signal and body", async () => {
    server = await startLocalServer((_request, response) => json(response, 503, {}, { "retry-after": "0" }));
    const received: Request[] = [];
    const fetch: FetchOption = (request) => {
      received.push(request);
      return globalThis.fetch(request);
    };
    await createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, fetch, maxRetries: 2 }).PUT("/meters/interval", { body: records });
    expect(received).toHaveLength(3);
    expect(new Set(received).size).toBe(3);
    expect(new Set(received.map((request) => request.signal)).size).toBe(3);
    expect(received.every((request) => request.headers.get("authorization") === "Bearer t")).toBe(true);
  });

  it("that answers in-process scripts the client call by call", async () => {
    const answers = [Response.json({ code: "rate_limit" }, { status: 429, headers: { "retry-after": "0" } }), Response.json(batch)];
    const flatpeak = createFlatpeakClient({ token: "test", fetch: async () => answers.shift() ?? Response.error() });
    const { data } = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: "bat_1" } } });
    expect(data?.id).toBe("bat_1");
    expect(answers).toHaveLength(0);
  });

  it("that throws is reported as a network failure with the cause kept", async () => {
    const cause = new Error("socket hang up");
    const failure = await createFlatpeakClient({ token: "t", maxRetries: 0, fetch: () => Promise.reject(cause) })
      .GET("/customers")
      .catch((error: unknown) => error);
    expect(isFlatpeakError(failure) && failure.kind).toBe("network");
    expect((failure as Error).cause).toBe(cause);
  });
});

describe("a request a middleware replaced", () => {
  it("is still retried with its body, and still follows the caller's signal", async () => {
    let calls = 0;
    server = await startLocalServer((_request, response) => (++calls === 1 ? json(response, 503, {}, { "retry-after": "0" }) : json(response, 200, batch)));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    flatpeak.use({ onRequest: ({ request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), "X-Signed": "yes" } }) });
    const { data } = await flatpeak.PUT("/meters/interval", { body: records });
    expect(data?.id).toBe("bat_1");
    expect(server.requests.map((request) => [request.body, request.headers["x-signed"]])).toEqual([
      [JSON.stringify(records), "yes"],
      [JSON.stringify(records), "yes"],
    ]);
    const controller = new AbortController();
    const aborted = flatpeak.GET("/customers", { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ kind: "aborted" });
  });
});
