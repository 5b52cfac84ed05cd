/**
 * A deadline is exact in every wait: a call whose deadline falls inside a
 * 429 pause fails at once, one whose deadline falls inside the wait for a
 * token or an attempt rejects at the deadline, and a wait that would pass
 * it (a backoff, a Retry-After) is never started — the last answer comes at
 * once. No backoff follows a deadline's timeout. On fake clocks, where "at
 * once" and "at the deadline" are exact, and on a loopback server.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenStore } from "../../src/fleet/index.js";
import { createFlatpeakClient, FlatpeakError } from "../../src/index.js";
import { callLimits } from "../../src/limits/index.js";
import { createMemoryStore } from "../../src/store/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";
import { tokenKeyOf } from "../helpers/token-key.js";

let server: LocalServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

function fakeClocks() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
}

/** Where `call` settled, in ms of the (fake) clock from now, and what with; the clock is moved `withinMs` at most. */
async function settledAt(call: Promise<unknown>, withinMs: number): Promise<{ atMs: number; outcome: unknown }> {
  const started = performance.now();
  let settled: { atMs: number; outcome: unknown } | undefined;
  void call.then(
    (outcome) => (settled = { atMs: performance.now() - started, outcome }),
    (outcome: unknown) => (settled = { atMs: performance.now() - started, outcome }),
  );
  for (let movedMs = 0; settled === undefined && movedMs <= withinMs; movedMs++) await vi.advanceTimersByTimeAsync(movedMs === 0 ? 0 : 1);
  if (settled === undefined) throw new Error(`the call did not settle within ${withinMs} ms`);
  return settled;
}

const ranOut = (deadlineMs: number) => ({ name: "FlatpeakError", kind: "timeout", message: `GET /customers ran out of its deadline of ${deadlineMs} ms (deadlineMs)` });

describe("a deadline inside a 429 pause", () => {
  it("fails the call at once, with no backoff and no other attempt, also when it may be retried", async () => {
    fakeClocks();
    const mock = createMockFlatpeak();
    mock.once("GET /customers", mock.faults.rateLimit(30));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, use: [callLimits()], maxRetries: 5 });
    void flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(0);
    expect(mock.calls.length).toBe(1);
    const { atMs, outcome } = await settledAt(flatpeak.GET("/customers", { deadlineMs: 1_000 }), 1_000);
    expect(atMs).toBe(0);
    expect(outcome).toBeInstanceOf(FlatpeakError);
    expect(outcome).toMatchObject({ kind: "timeout", message: "GET /customers would pass its deadline (deadlineMs): Flatpeak's rate limit pauses the client for 30000 ms more" });
    expect(mock.calls.length).toBe(1);
  });

  it("fails at once on a loopback server too, while the other calls wait out the pause", async () => {
    let answered = 0;
    server = await startLocalServer((_request, response) => (answered++ === 0 ? json(response, 429, { code: "rate_limit" }, { "retry-after": "2" }) : json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] })));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits()] });
    const first = flatpeak.GET("/customers");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const error = await flatpeak.GET("/customers", { deadlineMs: 500 }).catch((caught: unknown) => caught);
    expect(performance.now() - started).toBeLessThan(50);
    expect(error).toMatchObject({ kind: "timeout" });
    expect((await first).response.status).toBe(200);
    expect(server.requests.length).toBe(2);
  });
});

describe("a deadline inside the wait for a token", () => {
  it("rejects at the deadline while another process of the fleet logs in", async () => {
    const store = createMemoryStore();
    await store.set(`${tokenKeyOf("acc_1", "key")}:lock`, "another-process", { ttlMs: 60_000, onlyIfAbsent: true });
    const mock = createMockFlatpeak();
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", fetch: mock.fetch, use: [tokenStore(store), callLimits()] });
    // The key's fingerprint is hashed by Web Crypto in real time, which fake clocks do not move.
    await new Promise((resolve) => setTimeout(resolve, 20));
    fakeClocks();
    const { atMs, outcome } = await settledAt(flatpeak.GET("/customers", { deadlineMs: 700 }), 1_000);
    expect(atMs).toBe(700);
    expect(outcome).toMatchObject(ranOut(700));
    expect(mock.calls).toStrictEqual([]);
  });

  it("rejects at the deadline while the login does not answer", async () => {
    fakeClocks();
    const mock = createMockFlatpeak();
    mock.on("GET /login", () => mock.faults.timeout());
    const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "key", fetch: mock.fetch, timeoutMs: 10_000, use: [callLimits({ deadlineMs: 400 })] });
    const { atMs, outcome } = await settledAt(flatpeak.GET("/customers"), 1_000);
    expect(atMs).toBe(400);
    expect(outcome).toMatchObject(ranOut(400));
  });
});

describe("a deadline inside an attempt", () => {
  it("rejects at the deadline, and no backoff or attempt follows", async () => {
    fakeClocks();
    const mock = createMockFlatpeak();
    mock.on("GET /customers", () => mock.faults.timeout());
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, timeoutMs: 10_000, maxRetries: 5, use: [callLimits({ deadlineMs: 300 })] });
    const { atMs, outcome } = await settledAt(flatpeak.GET("/customers"), 2_000);
    expect([atMs, mock.calls.length]).toStrictEqual([300, 1]);
    expect(outcome).toMatchObject(ranOut(300));
    await vi.advanceTimersByTimeAsync(10_000);
    expect([mock.calls.length, vi.getTimerCount()]).toStrictEqual([1, 0]);
  });
});

describe("a wait that would pass the deadline", () => {
  it.each([
    ["a backoff", {}],
    ["a Retry-After wait", { "retry-after": "5" }],
  ])("is not started for %s: the last answer is the call's, at once", async (_wait, headers) => {
    server = await startLocalServer((_request, response) => json(response, 503, { code: "down" }, headers));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, use: [callLimits({ deadlineMs: 300 })] });
    const started = performance.now();
    const { error } = await flatpeak.GET("/customers");
    expect([error?.status, server.requests.length]).toStrictEqual([503, 1]);
    expect(performance.now() - started).toBeLessThan(300);
  });

  it("is started when it ends before the deadline, and the next one is not", async () => {
    fakeClocks();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const mock = createMockFlatpeak();
    mock.on("GET /customers", () => mock.faults.serverError(503));
    const flatpeak = createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 5, use: [callLimits({ deadlineMs: 1_000 })] });
    const { atMs, outcome } = await settledAt(flatpeak.GET("/customers"), 1_000);
    expect([atMs, mock.calls.length, (outcome as { error?: { status: number } }).error?.status]).toStrictEqual([500, 2, 503]);
  });
});
