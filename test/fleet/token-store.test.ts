/**
 * tokenStore: clients that share a store share one login. Several clients in
 * one process stand for several processes here (test/processes runs real
 * ones on Redis); they share the in-process mock, which counts the logins.
 */
import { setTimeout as realPause } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenStore } from "../../src/fleet/index.js";
import { createFlatpeakClient } from "../../src/index.js";
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";
import { createMockFlatpeak, type MockFlatpeak } from "../../src/testing/index.js";
import { recordedEvents } from "../helpers/events.js";
import { faultyStore } from "../helpers/faulty-store.js";
import { tokenKeyOf } from "../helpers/token-key.js";

const KEY = tokenKeyOf("acc_fleet", "sk_test_FLEET_SECRET");
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A token as another process of the fleet stores it: valid `remainingMs` more, out of `lifetimeMs`. */
function storedToken(token: string, remainingMs: number, lifetimeMs = 3_600_000): string {
  return JSON.stringify({ token, expiresAt: Date.now() + remainingMs, lifetimeMs });
}

/** The bearer tokens of the `GET /customers` calls `mock` answers from now on. */
function bearerTokens(mock: MockFlatpeak): string[] {
  const seen: string[] = [];
  mock.on("GET /customers", ({ request }) => {
    seen.push((request.headers.get("authorization") ?? "").replace(/^Bearer /, ""));
    return { status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } };
  });
  return seen;
}

/** A store recording every `set` with its options; a `set` of `failingKey`, when given, rejects. */
function storeRecordingSets(failingKey?: string) {
  const store = faultyStore();
  const sets: Array<{ key: string; ttlMs: number; onlyIfAbsent: boolean | undefined }> = [];
  const set: FlatpeakStore["set"] = (key, value, options) => {
    sets.push({ key, ttlMs: options.ttlMs, onlyIfAbsent: options.onlyIfAbsent });
    return key === failingKey ? Promise.reject(new Error("store down")) : store.set(key, value, options);
  };
  return { store: { ...store, set }, calls: store.calls, sets };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Fake timers for the clocks tokenStore reads, and jitter fixed at its middle: a poll waits 150 ms. */
function fleetClock() {
  vi.useFakeTimers({ toFake: ["performance", "Date", "setTimeout", "clearTimeout"] });
  vi.spyOn(Math, "random").mockReturnValue(0.5);
}

function fleet(store: FlatpeakStore, mock: MockFlatpeak = createMockFlatpeak(), options: Parameters<typeof tokenStore>[1] = {}, apiKey = "sk_test_FLEET_SECRET") {
  const recorded = recordedEvents();
  const client = () => createFlatpeakClient({ accountId: "acc_fleet", apiKey, fetch: mock.fetch, maxRetries: 0, use: [tokenStore(store, options), recorded.plugin] });
  /** A client whose store key is known: the fingerprint of its key is hashed by Web Crypto in real time, which fake timers do not move. */
  const keyedClient = async () => {
    const flatpeak = client();
    await realPause(20);
    return flatpeak;
  };
  const logins = () => mock.calls.filter((call) => call.operation === "GET /login").length;
  return { mock, client, keyedClient, logins, ...recorded };
}

describe("tokenStore", () => {
  it("logs in once for many clients on a cold store, however many calls start at once", async () => {
    const { client, logins } = fleet(createMemoryStore());
    const clients = Array.from({ length: 8 }, client);
    const results = await Promise.all(clients.flatMap((flatpeak) => Array.from({ length: 25 }, () => flatpeak.GET("/customers"))));
    expect(results.every((result) => result.response.status === 200)).toBe(true);
    expect(logins()).toBe(1);
  });

  it("keeps the token with its wall-clock expiry under a key of the account, the base URL and a fingerprint of the API key, never the key", async () => {
    const store = createMemoryStore();
    const { client } = fleet(store);
    const before = Date.now();
    await client().GET("/customers");
    const record = JSON.parse((await store.get(KEY)) ?? "{}") as { token: string; expiresAt: number; lifetimeMs: number };
    expect(record.token).toBe("mock_token_1");
    expect(record.lifetimeMs).toBeGreaterThan(3_599_000);
    expect(record.expiresAt).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(record.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(`${KEY}${JSON.stringify(record)}`).not.toContain("sk_test_FLEET_SECRET");
    expect(KEY).toMatch(/^flatpeak:token:acc_fleet:https:\/\/api\.flatpeak\.com:[A-Za-z0-9_-]{22}$/);
  });

  it("never shares a token between two API keys of one account, so each key logs in once and sends only its own token", async () => {
    const store = createMemoryStore();
    const mock = createMockFlatpeak();
    const loginsByKey: string[] = [];
    mock.on("GET /login", ({ request }) => {
      const apiKey = atob((request.headers.get("authorization") ?? "").slice("Basic ".length)).split(":")[1] ?? "";
      loginsByKey.push(apiKey);
      return { status: 200, body: { bearer_token: `token_of_${apiKey}`, expires_in: 3600, live_mode: apiKey.includes("live") } };
    });
    const tokens = bearerTokens(mock);
    const [live, test] = [fleet(store, mock, {}, "sk_live_ONE"), fleet(store, mock, {}, "sk_test_TWO")];
    for (const flatpeak of [live.client(), test.client(), live.client(), test.client()]) expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect(loginsByKey).toEqual(["sk_live_ONE", "sk_test_TWO"]);
    expect(tokens).toEqual(["token_of_sk_live_ONE", "token_of_sk_test_TWO", "token_of_sk_live_ONE", "token_of_sk_test_TWO"]);
    expect(JSON.parse((await store.get(tokenKeyOf("acc_fleet", "sk_test_TWO"))) ?? "{}")).toMatchObject({ token: "token_of_sk_test_TWO" });
  });

  it("serves no token of the fleet to a client whose API key Flatpeak refuses: its calls answer the refusal", async () => {
    const store = createMemoryStore();
    const mock = createMockFlatpeak();
    mock.on("GET /login", ({ request }) => (request.headers.get("authorization")?.includes(btoa("acc_fleet:sk_revoked")) ? mock.error(403) : { status: 200, body: { bearer_token: "token_of_the_good_key", expires_in: 3600, live_mode: false } }));
    const tokens = bearerTokens(mock);
    expect((await fleet(store, mock).client().GET("/customers")).response.status).toBe(200);
    const refused = await fleet(store, mock, {}, "sk_revoked").client().GET("/customers");
    expect([refused.response.status, refused.error?.code, tokens]).toEqual([403, "access_denied", ["token_of_the_good_key"]]);
  });

  it("keeps nobody waiting for lockMs when the login under the lock is refused: each waiting call takes the lock in turn", async () => {
    const mock = createMockFlatpeak();
    mock.on("GET /login", () => mock.error(403));
    const { client, logins } = fleet(createMemoryStore(), mock, { lockMs: 60_000 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 4 }, () => client().GET("/customers")));
    expect(results.map((result) => result.error?.code)).toEqual(Array(4).fill("access_denied"));
    expect(logins()).toBe(4);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("lets a client that starts later use the stored token, without taking the lock, and says so", async () => {
    const store = faultyStore();
    const { client, logins, events } = fleet(store);
    await client().GET("/customers");
    const callsOfFirst = store.calls.length;
    await client().GET("/customers");
    expect(store.calls.slice(callsOfFirst).map((call) => call.operation)).toEqual(["get"]);
    expect(logins()).toBe(1);
    expect(events.filter((event) => event.type === "login" || event.type === "token_shared").map((event) => event.type)).toEqual(["login", "token_shared"]);
  });

  it("renews once for the fleet while the old token keeps serving", async () => {
    vi.useFakeTimers({ toFake: ["performance", "Date", "setTimeout", "clearTimeout"] });
    const mock = createMockFlatpeak({ tokenLifetimeSeconds: 120 });
    const { client, logins } = fleet(createMemoryStore(), mock);
    const clients = Array.from({ length: 4 }, client);
    for (const flatpeak of clients) await flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(61_000);
    for (let round = 0; round < 5; round++) {
      await Promise.all(clients.map((flatpeak) => flatpeak.GET("/customers")));
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(logins()).toBe(2);
    const lastTokens = mock.calls.slice(-4).map((call) => call.operation);
    expect(lastTokens).toEqual(Array(4).fill("GET /customers"));
    const statuses = await Promise.all(clients.map(async (flatpeak) => (await flatpeak.GET("/customers")).response.status));
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(logins()).toBe(2);
  });

  it("deletes a token Flatpeak rejects, and the next login serves the fleet", async () => {
    const store = createMemoryStore();
    const { mock, client, logins } = fleet(store);
    const [a, b] = [client(), client()];
    await a.GET("/customers");
    await b.GET("/customers");
    mock.expireTokens();
    expect((await a.GET("/customers")).response.status).toBe(200);
    expect(JSON.parse((await store.get(KEY)) ?? "{}")).toMatchObject({ token: "mock_token_2" });
    expect((await b.GET("/customers")).response.status).toBe(200);
    expect(logins()).toBe(2);
  });

  it("does not delete a token the fleet renewed since the rejected one was read", async () => {
    const store = createMemoryStore();
    const { mock, client } = fleet(store);
    const a = client();
    await a.GET("/customers");
    const renewed = storedToken("mock_token_99", 3_600_000);
    await store.set(KEY, renewed, { ttlMs: 3_600_000 });
    mock.expireTokens();
    await a.GET("/customers");
    expect(await store.get(KEY)).toBe(renewed);
  });

  it.each(["get", "set"] as const)("logs in by itself when the store's %s fails, and says so", async (operation) => {
    const store = faultyStore();
    store.failing.add(operation);
    const { client, logins, events } = fleet(store);
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect(logins()).toBe(1);
    expect(events.filter((event) => event.type === "token_store_failed")).toEqual([{ type: "token_store_failed", operation: "GET /login", action: operation === "get" ? "read" : "lock" }]);
    expect(store.calls.map((call) => call.operation)).toEqual(operation === "get" ? ["get"] : ["get", "set"]);
  });

  it("logs in by itself when the store does not answer within waitMs", async () => {
    const store = faultyStore();
    store.stalling.add("get");
    const { client, logins } = fleet(store, createMockFlatpeak(), { waitMs: 50 });
    const started = performance.now();
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(logins()).toBe(1);
  });

  it("stops waiting for a process that took the lock and died, after lockMs", async () => {
    const store = createMemoryStore();
    await store.set(`${KEY}:lock`, "a-process-that-died", { ttlMs: 60_000, onlyIfAbsent: true });
    const { client, logins } = fleet(store, createMockFlatpeak(), { lockMs: 300 });
    const started = performance.now();
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(logins()).toBe(1);
  });

  it("takes a token another process stored while it waited for the lock", async () => {
    const store = createMemoryStore();
    await store.set(`${KEY}:lock`, "another-process", { ttlMs: 60_000, onlyIfAbsent: true });
    const { mock, client, logins } = fleet(store);
    const tokens = bearerTokens(mock);
    const call = client().GET("/customers");
    await settle();
    await store.set(KEY, storedToken("token_of_another_process", 3_600_000), { ttlMs: 3_600_000 });
    expect((await call).response.status).toBe(200);
    expect([logins(), tokens]).toEqual([0, ["token_of_another_process"]]);
  });

  it.each([
    ["text that is not JSON", "not json"],
    ["null", "null"],
    ["a token that is no text", JSON.stringify({ token: 42, expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 })],
    ["an empty token", storedToken("", 3_600_000)],
    ["a token with CR LF", storedToken("eyJ.a\r\nX-Injected: 1", 3_600_000)],
    ["a token with NUL", storedToken("eyJ.a\u0000b", 3_600_000)],
    ["a token with a space", storedToken("eyJ.a b", 3_600_000)],
    ["a token with a character that is not ASCII", storedToken("eyJ.zähler", 3_600_000)],
    ["a token longer than 8 KiB", storedToken("a".repeat(8_193), 3_600_000)],
    ["an expiry that is no number", JSON.stringify({ token: "t", expiresAt: "soon", lifetimeMs: 3_600_000 })],
    ["an expiry that is a number in text", JSON.stringify({ token: "t", expiresAt: String(Date.now() + 3_600_000), lifetimeMs: 3_600_000 })],
    ["an expiry that is no finite number", JSON.stringify({ token: "t", expiresAt: null, lifetimeMs: 3_600_000 })],
    ["a lifetime that is no number", JSON.stringify({ token: "t", expiresAt: Date.now() + 3_600_000, lifetimeMs: "1h" })],
    ["a lifetime of 0", storedToken("t", 3_600_000, 0)],
    ["an expiry further ahead than its lifetime and a minute", storedToken("t", 3_700_000, 3_600_000)],
  ])("ignores, reports and never sends a stored value that is no usable token: %s", async (_, value) => {
    const store = createMemoryStore();
    await store.set(KEY, value, { ttlMs: 60_000 });
    const { mock, client, logins, events } = fleet(store);
    const tokens = bearerTokens(mock);
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect([logins(), tokens]).toEqual([1, ["mock_token_1"]]);
    expect(events.filter((event) => event.type === "token_store_failed")).toContainEqual({ type: "token_store_failed", operation: "GET /login", action: "read" });
    expect(JSON.parse((await store.get(KEY)) ?? "{}")).toMatchObject({ token: "mock_token_1" });
  });

  it.each([
    ["a token that has expired", storedToken("t", -1_000, 1_000)],
    ["a token of the longest usable length, ending as its lifetime and a minute allow", storedToken("a".repeat(8_192), 3_660_000, 3_600_000)],
  ])("takes what may be a token without reporting it: %s", async (_, value) => {
    const store = createMemoryStore();
    await store.set(KEY, value, { ttlMs: 60_000 });
    const { mock, client, events } = fleet(store);
    const tokens = bearerTokens(mock);
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect(events.filter((event) => event.type === "token_store_failed")).toEqual([]);
    expect(tokens).toEqual([JSON.parse(value).expiresAt > Date.now() ? "a".repeat(8_192) : "mock_token_1"]);
  });

  it("renews a stored token once less than the smaller of 60 s and half its lifetime is left, less up to a fifth of jitter", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const cases: Array<[lifetimeMs: number, remainingMs: number, renews: boolean]> = [
      [3_600_000, 57_000, false],
      [3_600_000, 51_000, true],
      [100_000, 47_000, false],
      [100_000, 43_000, true],
    ];
    const outcomes = [];
    for (const [lifetimeMs, remainingMs] of cases) {
      const store = createMemoryStore();
      await store.set(KEY, storedToken("token_of_the_fleet", remainingMs, lifetimeMs), { ttlMs: remainingMs });
      const { mock, client, logins } = fleet(store);
      const tokens = bearerTokens(mock);
      const flatpeak = client();
      await flatpeak.GET("/customers");
      await flatpeak.GET("/customers");
      await settle();
      outcomes.push([lifetimeMs, remainingMs, logins() > 0]);
      expect(tokens).toEqual(["token_of_the_fleet", "token_of_the_fleet"]);
      expect(logins()).toBeLessThanOrEqual(1);
    }
    expect(outcomes).toEqual(cases);
  });

  it.each([
    ["only the token being renewed: it logs in", undefined, "mock_token_1"],
    ["a token of the fleet that ends sooner: it logs in", 20_000, "mock_token_1"],
    ["a token of the fleet that lasts longer: it takes that one, without logging in", 3_000_000, "token_b"],
  ])("renews when the store holds %s", async (_, remainingOfTokenB, renewedTo) => {
    const store = createMemoryStore();
    await store.set(KEY, storedToken("token_a", 30_000), { ttlMs: 30_000 });
    const { mock, client, logins, events } = fleet(store);
    const tokens = bearerTokens(mock);
    const flatpeak = client();
    await flatpeak.GET("/customers");
    if (remainingOfTokenB !== undefined) await store.set(KEY, storedToken("token_b", remainingOfTokenB), { ttlMs: remainingOfTokenB });
    await flatpeak.GET("/customers");
    await settle();
    await flatpeak.GET("/customers");
    expect(tokens).toEqual(["token_a", "token_a", renewedTo]);
    expect([logins(), events.filter((event) => event.type === "token_shared").length]).toEqual(renewedTo === "token_b" ? [0, 2] : [1, 1]);
    expect(JSON.parse((await store.get(KEY)) ?? "{}")).toMatchObject({ token: renewedTo });
    expect(await store.get(`${KEY}:lock`)).toBeUndefined();
  });

  it("keeps serving its token while another process renews for the fleet, then takes the fleet's new one", async () => {
    const store = faultyStore();
    await store.set(KEY, storedToken("token_a", 30_000), { ttlMs: 30_000 });
    await store.set(`${KEY}:lock`, "another-process", { ttlMs: 60_000, onlyIfAbsent: true });
    const { mock, client, logins } = fleet(store);
    const tokens = bearerTokens(mock);
    const flatpeak = client();
    const reads = () => store.calls.filter((call) => call.operation === "get").length;
    await flatpeak.GET("/customers");
    await flatpeak.GET("/customers");
    await vi.waitFor(() => expect(reads()).toBe(3), { interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await flatpeak.GET("/customers");
    expect(reads()).toBe(3);
    await store.set(KEY, storedToken("token_b", 3_000_000), { ttlMs: 3_000_000 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await flatpeak.GET("/customers");
    await settle();
    await flatpeak.GET("/customers");
    expect([logins(), tokens.slice(0, 3), tokens.at(-1)]).toEqual([0, ["token_a", "token_a", "token_a"], "token_b"]);
  });

  it("logs in by itself when the store fails while it waits for another process's login", async () => {
    const store = faultyStore();
    await store.set(`${KEY}:lock`, "another-process", { ttlMs: 60_000, onlyIfAbsent: true });
    const { client, logins, events } = fleet(store);
    const call = client().GET("/customers");
    await settle();
    store.failing.add("get");
    const started = performance.now();
    expect((await call).response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(logins()).toBe(1);
    expect(events.filter((event) => event.type === "token_store_failed").map((event) => event.type === "token_store_failed" && event.action)).toEqual(["read"]);
  });

  it("stores a token for as long as it is valid, and holds the lock only while it logs in", async () => {
    const { store, sets } = storeRecordingSets();
    const { client } = fleet(store);
    await client().GET("/customers");
    expect(sets).toEqual([
      { key: `${KEY}:lock`, ttlMs: 10_000, onlyIfAbsent: true },
      { key: KEY, ttlMs: expect.any(Number), onlyIfAbsent: undefined },
    ]);
    expect(sets[1]!.ttlMs).toBeGreaterThan(3_599_000);
    expect(sets[1]!.ttlMs).toBeLessThanOrEqual(3_600_000);
    await settle();
    expect(await store.get(`${KEY}:lock`)).toBeUndefined();
    const record = JSON.parse((await store.get(KEY)) ?? "{}") as { lifetimeMs: number };
    expect(record.lifetimeMs).toBeLessThanOrEqual(3_600_000);
  });

  it("deletes from the store only a token it read or wrote there", async () => {
    const { store, calls } = storeRecordingSets(KEY);
    const { mock, client, logins, events } = fleet(store);
    const flatpeak = client();
    await flatpeak.GET("/customers");
    expect(events.filter((event) => event.type === "token_store_failed").map((event) => event.type === "token_store_failed" && event.action)).toEqual(["write"]);
    mock.expireTokens();
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    await settle();
    expect(logins()).toBe(2);
    expect(calls.filter((call) => call.operation === "deleteIfEquals" && call.key === KEY)).toEqual([]);
  });

  it("stores nothing when the login fails, and the call answers with the failure", async () => {
    const store = faultyStore();
    const { mock, client } = fleet(store);
    mock.once("GET /login", mock.faults.serverError(503));
    const { error, response } = await client().GET("/customers");
    expect(response.status).toBe(503);
    expect(error).toBeDefined();
    expect(store.calls.filter((call) => call.key === KEY && call.operation !== "get")).toEqual([]);
  });

  it("clears the timer bounding each store operation once the operation is done", async () => {
    fleetClock();
    const { keyedClient } = fleet(createMemoryStore());
    const call = (await keyedClient()).GET("/customers");
    await vi.advanceTimersByTimeAsync(0);
    expect((await call).response.status).toBe(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("takes a token that expires this very moment as no token", async () => {
    fleetClock();
    const store = createMemoryStore();
    await store.set(KEY, storedToken("token_ending_now", 0), { ttlMs: 60_000 });
    const { keyedClient, logins } = fleet(store);
    const call = (await keyedClient()).GET("/customers");
    await vi.advanceTimersByTimeAsync(0);
    expect((await call).response.status).toBe(200);
    expect(logins()).toBe(1);
  });

  it("polls the store every 100–200 ms while another process holds the lock, and gives up at lockMs", async () => {
    fleetClock();
    const store = faultyStore();
    await store.set(`${KEY}:lock`, "a-process-that-died", { ttlMs: 60_000, onlyIfAbsent: true });
    const { keyedClient, logins } = fleet(store, createMockFlatpeak(), { lockMs: 900 });
    const flatpeak = await keyedClient();
    const reads: number[] = [];
    const started = performance.now();
    const get = store.get;
    store.get = (key) => (reads.push(performance.now() - started), get(key));
    const call = flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(2_000);
    expect((await call).response.status).toBe(200);
    expect([reads, logins()]).toEqual([[0, 150, 300, 450, 600, 750, 900], 1]);
  });

  it("after a wait that brought no new token, serves its own and asks the store again only once its renewal is due", async () => {
    fleetClock();
    const store = faultyStore();
    await store.set(KEY, storedToken("token_a", 30_000), { ttlMs: 30_000 });
    await store.set(`${KEY}:lock`, "another-process", { ttlMs: 60_000, onlyIfAbsent: true });
    const { mock, keyedClient, logins } = fleet(store);
    const tokens = bearerTokens(mock);
    const reads = () => store.calls.filter((call) => call.operation === "get").length;
    const flatpeak = await keyedClient();
    const call = async () => {
      const result = flatpeak.GET("/customers");
      await vi.advanceTimersByTimeAsync(0);
      return result;
    };
    await call();
    await call();
    expect(reads()).toBe(2);
    await vi.advanceTimersByTimeAsync(150);
    expect(reads()).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    await call();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reads()).toBe(3);
    await call();
    expect(reads()).toBe(4);
    expect([logins(), [...new Set(tokens)]]).toEqual([0, ["token_a"]]);
  });

  it("keeps waiting for the fleet's login when its own token ends during the wait, and logs in by itself at lockMs", async () => {
    fleetClock();
    const store = createMemoryStore();
    await store.set(KEY, storedToken("token_a", 120), { ttlMs: 120 });
    await store.set(`${KEY}:lock`, "a-process-that-died", { ttlMs: 60_000, onlyIfAbsent: true });
    const { mock, keyedClient, logins } = fleet(store, createMockFlatpeak(), { lockMs: 900 });
    const tokens = bearerTokens(mock);
    const flatpeak = await keyedClient();
    const first = flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(0);
    await first;
    const renewing = flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(200);
    await renewing;
    const afterTheEnd = flatpeak.GET("/customers");
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await afterTheEnd).response.status).toBe(200);
    expect([tokens, logins()]).toEqual([["token_a", "token_a", "mock_token_1"], 1]);
  });

  it("takes the fleet's token found once it holds the lock, and logs in by itself when that read fails", async () => {
    for (const [whatTheSecondReadFinds, expected] of [
      ["a token another process stored", ["token_of_another_process", 0]],
      ["a failing store", ["mock_token_1", 1]],
    ] as const) {
      const store = faultyStore();
      const set = store.set;
      store.set = async (key, value, options) => {
        const outcome = await set(key, value, options);
        if (key === `${KEY}:lock`) {
          if (whatTheSecondReadFinds === "a failing store") store.failing.add("get");
          else await set(KEY, storedToken("token_of_another_process", 3_600_000), { ttlMs: 3_600_000 });
        }
        return outcome;
      };
      const { mock, client, logins } = fleet(store);
      const tokens = bearerTokens(mock);
      expect((await client().GET("/customers")).response.status, whatTheSecondReadFinds).toBe(200);
      expect([tokens[0], logins()], whatTheSecondReadFinds).toEqual(expected);
    }
  });

  it("deletes a token it read from the store once Flatpeak rejects it, while the store still holds it", async () => {
    const store = faultyStore();
    const text = storedToken("token_of_the_fleet", 3_600_000);
    await store.set(KEY, text, { ttlMs: 3_600_000 });
    const { mock, client } = fleet(store);
    const flatpeak = client();
    await flatpeak.GET("/customers");
    mock.expireTokens();
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect(store.calls.filter((call) => call.operation === "deleteIfEquals" && call.key === KEY)).toEqual([{ operation: "deleteIfEquals", key: KEY, value: text }]);
  });

  it("says so when it cannot release the lock or delete a rejected token, and never takes that token from the store again", async () => {
    const store = faultyStore();
    store.failing.add("deleteIfEquals");
    const { mock, client, events, logins } = fleet(store, createMockFlatpeak(), { lockMs: 300 });
    const flatpeak = client();
    await flatpeak.GET("/customers");
    mock.expireTokens();
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
    expect(logins()).toBe(2);
    await settle();
    const actions = events.filter((event) => event.type === "token_store_failed").map((event) => event.type === "token_store_failed" && event.action);
    expect(actions.slice(0, 2)).toEqual(["delete", "delete"]);
    expect(new Set(actions)).toEqual(new Set(["delete"]));
  });

  it("works without any listener for its events when the store fails", async () => {
    const store = faultyStore();
    store.failing.add("get");
    const mock = createMockFlatpeak();
    const flatpeak = createFlatpeakClient({ accountId: "acc_fleet", apiKey: "sk_test_FLEET_SECRET", fetch: mock.fetch, maxRetries: 0, use: [tokenStore(store)] });
    expect((await flatpeak.GET("/customers")).response.status).toBe(200);
  });

  it("is a plugin named tokenStore", () => {
    expect(tokenStore(createMemoryStore()).name).toBe("tokenStore");
  });

  const method = async (): Promise<undefined> => undefined;
  it.each([
    ["nothing", null, ""],
    ["a store without deleteIfEquals", { get: method, set: method }, "; this one has no deleteIfEquals"],
    ["a store without set", { get: method, deleteIfEquals: method }, "; this one has no set"],
    ["a store without get", { set: method, deleteIfEquals: method }, "; this one has no get"],
  ])("refuses %s as its store", (_, store, missing) => {
    expect(() => tokenStore(store as never)).toThrow(new TypeError(`tokenStore: store must be a FlatpeakStore (get, set, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis)${missing}.`));
  });

  it("takes a store of version 1.0, without setIfEquals", async () => {
    const memory = createMemoryStore();
    const store = { get: memory.get, set: memory.set, deleteIfEquals: memory.deleteIfEquals };
    const { client, logins } = fleet(store);
    expect([(await client().GET("/customers")).response.status, (await client().GET("/customers")).response.status, logins()]).toEqual([200, 200, 1]);
  });

  it("refuses what is not a store, and bad numbers", () => {
    expect(() => tokenStore({} as never)).toThrow(new TypeError("tokenStore: store must be a FlatpeakStore (get, set, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis); this one has no get, set and deleteIfEquals."));
    expect(() => tokenStore(createMemoryStore(), { waitMs: 0 })).toThrow(new TypeError("tokenStore: waitMs must be a whole number from 1 to 2147483647, got 0."));
    expect(() => tokenStore(createMemoryStore(), { lockMs: Number.NaN })).toThrow(new TypeError("tokenStore: lockMs must be a whole number from 1 to 2147483647, got NaN."));
  });
});
