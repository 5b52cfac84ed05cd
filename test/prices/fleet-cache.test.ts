/**
 * createPriceCache with a store: caches on one store stand for the
 * processes of a fleet (test/processes runs real ones on Redis). Answers are
 * kept in each cache and in the store; an invalidation in one reaches the
 * others within a second; a request under way when it came writes and
 * serves nothing; one refresh for all; a slow or failing store costs a
 * question at most one store timeout and never fails it.
 */
import { createClient } from "redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { components } from "../../generated/flatpeak.js";
import { createFlatpeakClient } from "../../src/index.js";
import { createPriceCache, type PriceCacheOptions } from "../../src/prices/index.js";
import { createRedisStore } from "../../src/redis/index.js";
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";
import { createMockFlatpeak, type MockFlatpeak } from "../../src/testing/index.js";
import { faultyStore } from "../helpers/faulty-store.js";
import { describeWithRedis, startRedis } from "../helpers/redis.js";

type Price = components["schemas"]["Price"];
const HOUR = 3_600_000;
const NOW = Date.parse("2026-12-02T10:20:00Z");
const KEY = "flatpeak:prices:loc_1:IMPORT";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

/** A price answer for the window asked, half-hourly, every price `value`. */
function priceFor(locationId: string, window: components["schemas"]["PriceWindow"], value: number, nextUpdate = "2026-12-02T11:00:00Z"): Price {
  const from = Date.parse(window.start_time ?? "");
  const to = Date.parse(window.end_time);
  const data = Array.from({ length: (to - from) / (HOUR / 2) }, (_, i) => ({ valid_from: new Date(from + (i * HOUR) / 2).toISOString(), valid_to: new Date(from + ((i + 1) * HOUR) / 2).toISOString(), price: { value, confidence: 1 } }));
  return { id: "prs_1", object: "price", live_mode: false, location_id: locationId, location_timezone: "Europe/London", currency_code: "GBP", tariff_direction: window.tariff_direction ?? "IMPORT", last_updated: "2026-12-01T16:00:00Z", next_update: nextUpdate, request: window, data, account_id: "acc_1" };
}

/** Caches on one store, over one mock whose prices are `price.value`, at NOW. */
function fleet(store: FlatpeakStore, options: PriceCacheOptions = {}) {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  const price = { value: 0.2 };
  const mock = createMockFlatpeak().on("POST /prices/{id}", ({ params, body }) => ({ status: 200, body: priceFor(params.path.id, body, price.value) }));
  const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "sk_test_FLEET_PRICES", fetch: mock.fetch, maxRetries: 0 });
  const cache = () => createPriceCache(flatpeak, { store, refreshSpreadMs: 0, ...options });
  const requests = () => mock.calls.filter((call) => call.operation === "POST /prices/{id}").length;
  return { mock, price, cache, requests };
}

/** Holds the next price request until the function it returns is called. */
function holdNext(mock: MockFlatpeak, value: number) {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  mock.once("POST /prices/{id}", async ({ params, body }) => {
    await held;
    return { status: 200, body: priceFor(params.path.id, body, value) };
  });
  return () => release();
}

const ask = (prices: ReturnType<typeof createPriceCache>, locationId = "loc_1") => prices.get({ locationId, end: NOW + HOUR });
const valueOf = (answer: { intervals: Array<{ value: number }> }) => answer.intervals[0]?.value;

describe("a price cache with a store", () => {
  it("keeps answers in each process and in the store: the fleet asks once, and a kept answer costs no read of the store", async () => {
    const memory = createMemoryStore();
    const reads: string[] = [];
    const store: FlatpeakStore = { ...memory, get: (key) => (reads.push(key), memory.get(key)) };
    const { cache, requests } = fleet(store);
    const [a, b] = [cache(), cache()];
    expect(await ask(a)).toMatchObject({ fromCache: false, stale: false });
    expect(await ask(b)).toMatchObject({ fromCache: true, stale: false });
    const answerReads = () => reads.filter((key) => key === KEY).length;
    const before = answerReads();
    for (let i = 0; i < 5; i++) expect(await ask(b)).toMatchObject({ fromCache: true });
    expect([requests(), answerReads() - before]).toStrictEqual([1, 0]);
    const record = JSON.parse((await store.get(KEY)) ?? "{}") as { gen: string; entry: { from: number; to: number; freshUntil: number } };
    expect(record.gen).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.entry).toMatchObject({ from: Date.parse("2026-12-02T10:00:00Z"), to: Date.parse("2026-12-02T13:00:00Z"), freshUntil: Date.parse("2026-12-02T11:00:00Z") });
  });

  it("reaches every cache within a second when one invalidates, whatever the others keep", async () => {
    const { cache, price, requests } = fleet(createMemoryStore());
    const [a, b, c] = [cache(), cache(), cache()];
    for (const prices of [a, b, c]) await ask(prices);
    price.value = 0.5;
    await a.invalidate("loc_1");
    await pause(600);
    expect((await Promise.all([b, c].map((prices) => ask(prices)))).map(valueOf)).toStrictEqual([0.5, 0.5]);
    expect(requests()).toBeLessThanOrEqual(3);
    expect(valueOf(await ask(a))).toBe(0.5);
  });

  it("never writes or serves what a request under way in another cache brings once the location was invalidated", async () => {
    const memory = createMemoryStore();
    const written: number[] = [];
    const store: FlatpeakStore = {
      ...memory,
      setIfEquals: async (key, expected, value, options) => {
        const wrote = await (memory.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>)(key, expected, value, options);
        const entry = (JSON.parse(value) as { entry?: { data: Array<[number, number, number, number]> } }).entry;
        if (wrote && key === KEY && entry) written.push(entry.data[0]?.[2] ?? Number.NaN);
        return wrote;
      },
    };
    const { cache, mock, price, requests } = fleet(store);
    const [a, b] = [cache(), cache()];
    const release = holdNext(mock, 0.2);
    const underWay = ask(b);
    await vi.waitFor(() => expect(requests()).toBe(1));
    price.value = 0.5;
    await a.invalidate("loc_1");
    await pause(600);
    release();
    expect(valueOf(await underWay)).toBe(0.5);
    expect(requests()).toBe(2);
    expect(valueOf(await ask(a))).toBe(0.5);
    await vi.waitFor(() => expect(written).toStrictEqual([0.5]));
    expect(JSON.parse((await memory.get(KEY)) ?? "{}").entry.data[0][2]).toBe(0.5);
  });

  it("refreshes a due answer once for the fleet, the others serving it stale until they find the new one in the store", async () => {
    const { cache, price, requests } = fleet(createMemoryStore());
    const caches = [cache(), cache(), cache(), cache()];
    for (const prices of caches) await ask(prices);
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z"));
    price.value = 0.3;
    const answers = await Promise.all(caches.map((prices) => ask(prices)));
    expect(answers.map((answered) => answered.stale)).toStrictEqual([true, true, true, true]);
    await vi.waitFor(() => expect(requests()).toBe(2));
    await pause(1_100);
    expect((await Promise.all(caches.map((prices) => ask(prices)))).map(valueOf)).toStrictEqual([0.3, 0.3, 0.3, 0.3]);
    expect(requests()).toBe(2);
  });

  it("makes no second refresh in a cache whose due answer another refreshed a moment ago: it looks in the store once it holds the lock", async () => {
    const { cache, price, requests } = fleet(createMemoryStore());
    const [a, b] = [cache(), cache()];
    await ask(a);
    await ask(b);
    vi.setSystemTime(Date.parse("2026-12-02T11:00:00Z"));
    price.value = 0.3;
    expect(await ask(a)).toMatchObject({ stale: true });
    await vi.waitFor(async () => expect(valueOf(await ask(a))).toBe(0.3));
    expect(await ask(b)).toMatchObject({ stale: true });
    await vi.waitFor(async () => expect(valueOf(await ask(b))).toBe(0.3));
    expect(requests()).toBe(2);
  });

  it("records an invalidation as tombstones and in the fleet's log, and rejects when the store cannot", async () => {
    const store = faultyStore();
    const { cache } = fleet(store);
    const prices = cache();
    await ask(prices);
    await prices.invalidate("loc_1");
    expect(JSON.parse((await store.get(KEY)) ?? "{}")).toStrictEqual({ gen: expect.any(String) });
    expect(JSON.parse((await store.get("flatpeak:prices:changes")) ?? "{}")).toMatchObject({ seq: 1, changes: [[1, "loc_1"]] });
    store.failing.add("set");
    await expect(prices.invalidate("loc_1")).rejects.toThrow("The store's set failed: store down");
  });
});

describe("a price cache reading the store for an answer it keeps", () => {
  it("reads it only once its refresh is due, then at most once a second, and serves the kept answer when the read fails", async () => {
    const store = faultyStore();
    const { cache, requests } = fleet(store);
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: NOW });
    const prices = cache();
    const reads = () => store.calls.filter((call) => call.operation === "get" && call.key === KEY).length;
    await ask(prices);
    const { refreshAt } = (JSON.parse((await store.get(KEY)) ?? "{}") as { entry: { refreshAt: number } }).entry;
    // Another process holds the refresh lock, so that only the questions read the store.
    await store.set(`${KEY}:refresh`, "another process", { ttlMs: 24 * HOUR });
    let before = reads();
    vi.advanceTimersByTime(5_000);
    await ask(prices);
    await ask(prices);
    expect(reads() - before).toBe(0);
    vi.advanceTimersByTime(2_000);
    vi.setSystemTime(refreshAt);
    before = reads();
    expect(await ask(prices)).toMatchObject({ fromCache: true });
    expect(reads() - before).toBe(1);
    await ask(prices);
    vi.advanceTimersByTime(999);
    await ask(prices);
    expect(reads() - before).toBe(1);
    vi.advanceTimersByTime(1);
    await ask(prices);
    expect(reads() - before).toBe(2);
    store.failing.add("get");
    vi.advanceTimersByTime(1_000);
    expect(await ask(prices)).toMatchObject({ fromCache: true, stale: true });
    expect(requests()).toBe(1);
  });
});

describe("a price cache's requests", () => {
  it("keeps the fleet's record of an answer until its refresh is due and its grace is over", async () => {
    const memory = createMemoryStore();
    const ttls: number[] = [];
    const store: FlatpeakStore = { ...memory, setIfEquals: (key, expected, value, options) => (key === KEY && ttls.push(options.ttlMs), (memory.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>)(key, expected, value, options)) };
    const { cache } = fleet(store, { refreshSpreadMs: 10 * 60_000, graceMs: 60_000 });
    await ask(cache());
    await vi.waitFor(() => expect(ttls).toHaveLength(1));
    const { entry } = JSON.parse((await store.get(KEY)) ?? "{}") as { entry: { freshUntil: number; refreshAt: number } };
    expect(entry.refreshAt).toBeGreaterThan(entry.freshUntil);
    expect(ttls).toStrictEqual([entry.refreshAt + 60_000 - NOW]);
  });

  it("writes nothing for the fleet that a request under way brings after its location was invalidated, even when the tombstone could not be written", async () => {
    const store = faultyStore();
    const { mock, cache } = fleet(store);
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: NOW });
    const prices = cache();
    const release = holdNext(mock, 0.9);
    const asked = ask(prices);
    await vi.waitFor(() => expect(store.calls.some((call) => call.operation === "set" && call.key === KEY)).toBe(true));
    store.failing.add("set");
    await expect(prices.invalidate("loc_1")).rejects.toThrow("store down");
    store.failing.clear();
    vi.advanceTimersByTime(10_000);
    release();
    await asked.catch(() => undefined);
    await pause(20);
    expect(store.calls.filter((call) => call.operation === "setIfEquals" && call.key === KEY)).toStrictEqual([]);
  });

  it("makes no write for the fleet when its placeholder was not written, or its location was invalidated before the placeholder was", async () => {
    const memory = createMemoryStore();
    let hideKey = true;
    let holdPlaceholder: Promise<void> | undefined;
    const writes: string[] = [];
    const store: FlatpeakStore = {
      ...memory,
      // Another process's record that a read did not see yet: the placeholder is refused.
      get: async (key) => (key === KEY && hideKey ? undefined : memory.get(key)),
      set: async (key, value, options) => {
        const wrote = await memory.set(key, value, options);
        if (key === KEY && options.onlyIfAbsent) await holdPlaceholder;
        return wrote;
      },
      setIfEquals: (key, expected, value, options) => (key === KEY && writes.push(value), (memory.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>)(key, expected, value, options)),
    };
    const { cache } = fleet(store);
    await memory.set(KEY, "another process's record", { ttlMs: 60_000 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    await ask(cache()).finally(() => pause(20));
    process.off("unhandledRejection", onUnhandled);
    expect([writes, await memory.get(KEY), unhandled]).toStrictEqual([[], "another process's record", []]);
    await memory.deleteIfEquals(KEY, "another process's record");
    hideKey = false;
    let release!: () => void;
    holdPlaceholder = new Promise((resolve) => (release = resolve));
    const prices = cache();
    const asked = ask(prices);
    await vi.waitFor(async () => expect(await memory.get(KEY)).toMatch(/^\{"gen":/));
    await asked;
    holdPlaceholder = undefined;
    await prices.invalidate("loc_1");
    release();
    await pause(20);
    expect(writes).toStrictEqual([]);
  });

  it("leaves no rejection unhandled when there is no store, or the store's record could not be read or written", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const store = faultyStore();
      const { cache } = fleet(store);
      await ask(createPriceCache(createFlatpeakClient({ token: "t", fetch: createMockFlatpeak().fetch }), {}), "loc_2");
      await store.set(KEY, "taken", { ttlMs: 60_000 });
      await ask(cache());
      store.failing.add("set");
      await ask(cache(), "loc_3");
      await pause(50);
      expect(unhandled).toStrictEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("a price cache whose store fails", () => {
  it("waits at most one store timeout per question, then leaves the store alone, answering from its own answers or by a request", async () => {
    const store = faultyStore();
    const storeErrors: unknown[] = [];
    const { cache, requests } = fleet(store, { storeTimeoutMs: 200, onStoreError: (error) => storeErrors.push(error) });
    const prices = cache();
    await ask(prices);
    store.stalling.add("get");
    store.stalling.add("set");
    await pause(600);
    let started = performance.now();
    expect(await ask(prices)).toMatchObject({ fromCache: true });
    expect(performance.now() - started).toBeLessThan(400);
    started = performance.now();
    const answers = [await ask(prices), await ask(prices), await ask(prices, "loc_2"), await ask(prices, "loc_2")];
    expect(performance.now() - started).toBeLessThan(200);
    expect(answers.map((answered) => [answered.fromCache, answered.stale])).toStrictEqual([
      [true, false],
      [true, false],
      [false, false],
      [true, false],
    ]);
    await pause(600);
    expect(await ask(prices)).toMatchObject({ fromCache: true, stale: true });
    expect([requests(), storeErrors.length]).toStrictEqual([2, 1]);
    expect(String(storeErrors[0])).toMatch(/did not answer get within 200 ms/);
  });

  it("answers by a request, and says so, when the store holds something that is no record of an answer", async () => {
    const store = createMemoryStore();
    const { cache, requests } = fleet(store);
    const prices = cache();
    for (const damaged of ["{", "null", '{"gen":"x","entry":{"from":1}}', JSON.stringify({ gen: "x", entry: { from: 0, to: 1e15, freshUntil: 1e15, refreshAt: 1e15, lastUpdated: 0, timezone: "UTC", currency: "GBP", data: [[0, 1, 2]] } })]) {
      await store.set(KEY, damaged, { ttlMs: HOUR });
      await prices.invalidate("loc_2");
      expect(await cache().get({ locationId: "loc_1", end: NOW + HOUR }), damaged).toMatchObject({ fromCache: false });
      expect(await store.get(KEY)).not.toBe(damaged);
    }
    expect(requests()).toBe(4);
  });

  it("forgets everything it keeps when the fleet's log was flushed or missed changes", async () => {
    const store = createMemoryStore();
    const { cache, requests } = fleet(store);
    const [a, b] = [cache(), cache()];
    await ask(a);
    await ask(b, "loc_2");
    await b.invalidate("loc_3");
    await pause(600);
    await ask(a);
    await store.deleteIfEquals("flatpeak:prices:changes", (await store.get("flatpeak:prices:changes")) ?? "");
    await b.invalidate("loc_3");
    await pause(600);
    await ask(b, "loc_2");
    expect(requests()).toBe(2);
    const log = JSON.parse((await store.get("flatpeak:prices:changes")) ?? "{}") as { epoch: string; seq: number; changes: unknown[] };
    await store.set("flatpeak:prices:changes", JSON.stringify({ ...log, seq: log.seq + 600, changes: [] }), { ttlMs: HOUR });
    await pause(600);
    expect(await ask(a)).toMatchObject({ fromCache: true });
    expect(requests()).toBe(2);
  });
});

describeWithRedis("a price cache on Redis", () => {
  it("shares one answer between caches on different connections, Redis expiring it when it may no longer be served", async () => {
    const redis = await startRedis();
    const connections = await Promise.all([1, 2, 3].map(() => createClient({ url: redis.url }).connect()));
    try {
      const [first, second, raw] = connections as [ReturnType<typeof createClient>, ReturnType<typeof createClient>, ReturnType<typeof createClient>];
      const { cache, requests } = fleet(createRedisStore(first), { graceMs: 60_000 });
      const other = createPriceCache((await import("../../src/index.js")).createFlatpeakClient({ token: "t", fetch: createMockFlatpeak().fetch }), { store: createRedisStore(second) });
      await ask(cache());
      expect(await ask(other)).toMatchObject({ fromCache: true, currency: "GBP" });
      const ttl = await raw.pTTL(KEY);
      expect(ttl).toBeGreaterThan(41 * 60_000 - 5_000);
      expect(ttl).toBeLessThanOrEqual(41 * 60_000);
      await other.invalidate("loc_1");
      expect(JSON.parse((await raw.get(KEY)) ?? "{}")).toStrictEqual({ gen: expect.any(String) });
      expect(requests()).toBe(1);
    } finally {
      await Promise.all(connections.map((connection) => connection.quit().catch(() => undefined)));
      await redis.stop();
    }
  });
});
