/**
 * tokenStore: clients that share a store share one login. Several clients in
 * one process stand for several processes here (test/processes runs real
 * ones on Redis); they share the in-process mock, which counts the logins.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenStore } from "../../src/fleet/index.js";
import { createFlatpeakClient } from "../../src/index.js";
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";
import { createMockFlatpeak, type MockFlatpeak } from "../../src/testing/index.js";
import { recordedEvents } from "../helpers/events.js";
import { faultyStore } from "../helpers/faulty-store.js";

const KEY = "flatpeak:token:acc_fleet:https://api.flatpeak.com";
afterEach(() => {
  vi.useRealTimers();
});

function fleet(store: FlatpeakStore, mock: MockFlatpeak = createMockFlatpeak(), options: Parameters<typeof tokenStore>[1] = {}) {
  const recorded = recordedEvents();
  const client = () => createFlatpeakClient({ accountId: "acc_fleet", apiKey: "sk_test_FLEET_SECRET", fetch: mock.fetch, maxRetries: 0, use: [tokenStore(store, options), recorded.plugin] });
  const logins = () => mock.calls.filter((call) => call.operation === "GET /login").length;
  return { mock, client, logins, ...recorded };
}

describe("tokenStore", () => {
  it("logs in once for many clients on a cold store, however many calls start at once", async () => {
    const { client, logins } = fleet(createMemoryStore());
    const clients = Array.from({ length: 8 }, client);
    const results = await Promise.all(clients.flatMap((flatpeak) => Array.from({ length: 25 }, () => flatpeak.GET("/customers"))));
    expect(results.every((result) => result.response.status === 200)).toBe(true);
    expect(logins()).toBe(1);
  });

  it("keeps the token with its wall-clock expiry under a key of the account and base URL, never the API key", async () => {
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
  });

  it("lets a client that starts later use the stored token, and says so", async () => {
    const { client, logins, events } = fleet(createMemoryStore());
    await client().GET("/customers");
    await client().GET("/customers");
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
    const renewed = JSON.stringify({ token: "mock_token_99", expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 });
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
    const seen: string[] = [];
    mock.on("GET /customers", ({ request }) => {
      seen.push(request.headers.get("authorization") ?? "");
      return { status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } };
    });
    const call = client().GET("/customers");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await store.set(KEY, JSON.stringify({ token: "token_of_another_process", expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 }), { ttlMs: 3_600_000 });
    expect((await call).response.status).toBe(200);
    expect([logins(), seen]).toEqual([0, ["Bearer token_of_another_process"]]);
  });

  it.each(["not json", JSON.stringify({ token: 42 }), JSON.stringify({ token: "t", expiresAt: Date.now() - 1_000, lifetimeMs: 1_000 })])("ignores a stored value that is no usable token: %s", async (value) => {
    const store = createMemoryStore();
    await store.set(KEY, value, { ttlMs: 60_000 });
    const { client, logins } = fleet(store);
    expect((await client().GET("/customers")).response.status).toBe(200);
    expect(logins()).toBe(1);
  });

  it("refuses what is not a store, and bad numbers", () => {
    expect(() => tokenStore({} as never)).toThrow(new TypeError("tokenStore: pass a FlatpeakStore (get, set, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis)."));
    expect(() => tokenStore(createMemoryStore(), { waitMs: 0 })).toThrow(new TypeError("tokenStore: waitMs must be a whole number from 1 to 2147483647, got 0."));
    expect(() => tokenStore(createMemoryStore(), { lockMs: Number.NaN })).toThrow(new TypeError("tokenStore: lockMs must be a whole number from 1 to 2147483647, got NaN."));
  });
});
