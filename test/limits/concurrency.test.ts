/**
 * callLimits' concurrency cap and 429 pause: calls beyond maxConcurrency wait
 * in line, first come first served, abortable and bounded by their deadline;
 * a 429 with Retry-After holds every attempt of the client until then.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { callLimits } from "../../src/limits/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { until } from "../helpers/deliveries.js";
import { recordedEvents } from "../helpers/events.js";
import { answerLogin, json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

const list = { object: "list", url: "/customers", has_more: false, data: [] };

/** A fetch that answers each request after `delay()` ms, counting the requests in flight. */
function countingFetch(delay: () => number = () => 0) {
  const seen = { inFlight: 0, most: 0, started: [] as string[] };
  const fetch = async (request: Request) => {
    seen.started.push(new URL(request.url).searchParams.get("n") ?? "");
    seen.most = Math.max(seen.most, ++seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delay()));
    seen.inFlight--;
    return Response.json(list);
  };
  return { fetch, seen };
}

describe("maxConcurrency", () => {
  it("never has more than 16 of 10,000 calls in flight, and answers them all", async () => {
    const { fetch, seen } = countingFetch(() => Math.random() * 2);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 16 })] });
    const results = await Promise.all(Array.from({ length: 10_000 }, () => flatpeak.GET("/customers")));
    expect(results.filter((result) => result.response.status === 200)).toHaveLength(10_000);
    expect(seen.most).toBe(16);
  }, 60_000);

  it("gives a place back when a call ends with nobody waiting, so calls one after another each start at once", async () => {
    const { fetch, seen } = countingFetch(() => 0);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 1 })] });
    for (let n = 0; n < 3; n++) expect((await flatpeak.GET("/customers", { deadlineMs: 1_000 })).response.status).toBe(200);
    const [first, second] = [flatpeak.GET("/customers"), flatpeak.GET("/customers")];
    await Promise.all([first, second]);
    expect([seen.started.length, seen.most]).toStrictEqual([5, 1]);
  });

  it("starts waiting calls first come, first served", async () => {
    const { fetch, seen } = countingFetch(() => 1);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 1 })] });
    await Promise.all(Array.from({ length: 20 }, (_, n) => flatpeak.GET("/customers", { params: { query: { n: String(n) } as never } })));
    expect(seen.started).toStrictEqual(Array.from({ length: 20 }, (_, n) => String(n)));
  });

  it("rejects an aborted waiting call at once, frees no place it did not hold, and serves the rest", async () => {
    const { fetch, seen } = countingFetch(() => 30);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 2 })] });
    const controller = new AbortController();
    const calls = Array.from({ length: 6 }, (_, n) => flatpeak.GET("/customers", { params: { query: { n: String(n) } as never }, ...(n === 3 ? { signal: controller.signal } : {}) }));
    await until(() => seen.started.length === 2);
    const abortedAt = performance.now();
    controller.abort();
    await expect(calls[3]).rejects.toMatchObject({ kind: "aborted" });
    expect(performance.now() - abortedAt).toBeLessThan(20);
    const rest = await Promise.all(calls.filter((_, n) => n !== 3));
    expect(rest.map((result) => result.response.status)).toStrictEqual([200, 200, 200, 200, 200]);
    expect([seen.most, seen.started]).toStrictEqual([2, ["0", "1", "2", "4", "5"]]);
  });

  it("bounds a waiting call by its deadline", async () => {
    const { fetch } = countingFetch(() => 300);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 1 })] });
    const first = flatpeak.GET("/customers");
    await expect(flatpeak.GET("/customers", { deadlineMs: 50 })).rejects.toMatchObject({ kind: "timeout", message: "GET /customers ran out of its deadline of 50 ms (deadlineMs)" });
    expect((await first).response.status).toBe(200);
  });

  it("rejects a call whose signal aborted before it got in line", async () => {
    const { fetch, seen } = countingFetch(() => 20);
    const flatpeak = createFlatpeakClient({ token: "t", fetch, use: [callLimits({ maxConcurrency: 1 })] });
    const first = flatpeak.GET("/customers");
    await expect(flatpeak.GET("/customers", { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: "aborted" });
    await first;
    expect(seen.started).toHaveLength(1);
  });

  it("takes no place in line for a login, which the calls waiting for it already hold", async () => {
    server = await startLocalServer((request, response) => {
      if (answerLogin(request, response, "tok")) return;
      setTimeout(() => json(response, 200, list), 5);
    });
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", baseUrl: server.baseUrl, use: [callLimits({ maxConcurrency: 1 })] });
    const results = await Promise.all(Array.from({ length: 5 }, () => flatpeak.GET("/customers")));
    expect(results.map((result) => result.response.status)).toStrictEqual([200, 200, 200, 200, 200]);
  });
});

describe("the 429 pause", () => {
  it("after one 429 with Retry-After: 2, sends no attempt of any call for 2 s, then resumes", async () => {
    const times: number[] = [];
    let limited = false;
    server = await startLocalServer((_request, response) => {
      times.push(performance.now());
      if (!limited) {
        limited = true;
        return json(response, 429, { object: "error", type: "rate_limit", code: "rate_limit", message: "slow down" }, { "retry-after": "2" });
      }
      json(response, 200, list);
    });
    const { plugin, retries } = recordedEvents();
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits(), plugin] });
    const first = flatpeak.GET("/customers");
    await until(() => retries().length > 0);
    const others = Array.from({ length: 5 }, () => flatpeak.GET("/customers"));
    const results = await Promise.all([first, ...others]);
    expect(results.map((result) => result.response.status)).toStrictEqual([200, 200, 200, 200, 200, 200]);
    const [limitedAt = 0, ...after] = times;
    expect(after).toHaveLength(6);
    expect(Math.min(...after) - limitedAt).toBeGreaterThanOrEqual(1_950);
  }, 10_000);

  it("does not pause the client for a 429 without Retry-After", async () => {
    const mock = createMockFlatpeak();
    mock.once("GET /customers", { fault: "answer", ...mock.error(429) });
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, use: [callLimits()], maxRetries: 0 });
    expect((await flatpeak.GET("/customers")).error?.status).toBe(429);
    const started = performance.now();
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("pauses at most 60 s, and holds logins too", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
    const mock = createMockFlatpeak({ tokenLifetimeSeconds: 1 });
    mock.once("GET /customers", mock.faults.rateLimit(3_600));
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", fetch: mock.fetch, use: [callLimits()] });
    const limited = await flatpeak.GET("/customers");
    expect(limited.error?.status).toBe(429);
    await vi.advanceTimersByTimeAsync(1_000);
    let answered = false;
    const next = flatpeak.GET("/customers").then((result) => ((answered = true), result));
    await vi.advanceTimersByTimeAsync(58_999);
    expect([answered, mock.calls.length]).toStrictEqual([false, 2]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await next).response.status).toBe(200);
    expect(mock.calls.map((call) => call.operation)).toStrictEqual(["GET /login", "GET /customers", "GET /login", "GET /customers"]);
  });

  it("pauses only for a 429: a 503 with Retry-After holds no other call", async () => {
    let sent = 0;
    const fetch = async () => (sent++ === 0 ? new Response("", { status: 503, headers: { "retry-after": "2" } }) : Response.json(list));
    const flatpeak = createFlatpeakClient({ token: "t", fetch, maxRetries: 0, use: [callLimits()] });
    expect((await flatpeak.GET("/customers")).response.status).toBe(503);
    const started = performance.now();
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("rejects a call aborted during the pause at once, as aborted", async () => {
    let sent = 0;
    const fetch = async () => (sent++ === 0 ? new Response("", { status: 429, headers: { "retry-after": "5" } }) : Response.json(list));
    const flatpeak = createFlatpeakClient({ token: "t", fetch, maxRetries: 0, use: [callLimits()] });
    await flatpeak.GET("/customers");
    const controller = new AbortController();
    const paused = flatpeak.GET("/customers", { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await expect(paused).rejects.toMatchObject({ kind: "aborted" });
    expect([performance.now() - started < 500, sent]).toStrictEqual([true, 1]);
  });

  it("fails a call at once whose deadline would pass during the pause", async () => {
    const mock = createMockFlatpeak();
    mock.once("GET /customers", mock.faults.rateLimit(30));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, use: [callLimits()], maxRetries: 0 });
    await flatpeak.GET("/customers");
    const started = performance.now();
    await expect(flatpeak.GET("/customers", { deadlineMs: 1_000 })).rejects.toMatchObject({
      kind: "timeout",
      message: expect.stringMatching(/^GET \/customers would pass its deadline \(deadlineMs\): Flatpeak's rate limit pauses the client for \d+ ms more$/),
    });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
