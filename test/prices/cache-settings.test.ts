/**
 * The options of createPriceCache: the defaults its TSDoc states, the range
 * of each, and hooks that cannot break the cache.
 */
import { describe, expect, it } from "vitest";
import { cacheSettings } from "../../src/prices/cache-settings.js";
import { createMemoryStore } from "../../src/store/index.js";

const refusal = (name: string, range: string, got: string) => new TypeError(`createPriceCache: ${name} must be a whole number ${range}, got ${got}.`);

describe("cacheSettings", () => {
  it("fills in the documented defaults", () => {
    const { onStoreError, onRefreshError, ...settings } = cacheSettings({});
    expect(settings).toEqual({
      store: undefined,
      maxEntries: 1_000,
      minTtlMs: 60_000,
      maxTtlMs: 3_600_000,
      graceMs: 600_000,
      refreshSpreadMs: 300_000,
      maxRefreshesPerSecond: 10,
      storeTimeoutMs: 500,
    });
    expect([onStoreError(new Error("down")), onRefreshError(new Error("down"))]).toEqual([undefined, undefined]);
  });

  it("keeps what is given, a maxTtlMs that defaults to minTtlMs when that is longer than an hour, and the store itself", () => {
    const store = createMemoryStore();
    const given = { store, maxEntries: 1, minTtlMs: 1, maxTtlMs: 1, graceMs: 0, refreshSpreadMs: 0, maxRefreshesPerSecond: 10_000, storeTimeoutMs: 1 };
    expect(cacheSettings(given)).toMatchObject(given);
    expect(cacheSettings({ store }).store).toBe(store);
    expect(cacheSettings({ minTtlMs: 7_200_000 }).maxTtlMs).toBe(7_200_000);
    expect(cacheSettings({ minTtlMs: 3_600_001 }).maxTtlMs).toBe(3_600_001);
    expect(cacheSettings({ minTtlMs: 2_147_483_647, graceMs: 2_147_483_647, refreshSpreadMs: 2_147_483_647, storeTimeoutMs: 2_147_483_647 })).toMatchObject({ maxTtlMs: 2_147_483_647 });
  });

  it.each([
    [{ maxEntries: 0 }, refusal("maxEntries", "of 1 or more", "0")],
    [{ minTtlMs: 2_147_483_648 }, refusal("minTtlMs", "from 1 to 2147483647", "2147483648")],
    [{ maxTtlMs: 2_147_483_648 }, refusal("maxTtlMs", "from 60000 to 2147483647", "2147483648")],
    [{ maxTtlMs: 59_999 }, refusal("maxTtlMs", "from 60000 to 2147483647", "59999")],
    [{ graceMs: -1 }, refusal("graceMs", "from 0 to 2147483647", "-1")],
    [{ graceMs: 2_147_483_648 }, refusal("graceMs", "from 0 to 2147483647", "2147483648")],
    [{ refreshSpreadMs: -1 }, refusal("refreshSpreadMs", "from 0 to 2147483647", "-1")],
    [{ refreshSpreadMs: 0.5 }, refusal("refreshSpreadMs", "from 0 to 2147483647", "0.5")],
    [{ maxRefreshesPerSecond: 0 }, refusal("maxRefreshesPerSecond", "from 1 to 10000", "0")],
    [{ maxRefreshesPerSecond: 10_001 }, refusal("maxRefreshesPerSecond", "from 1 to 10000", "10001")],
    [{ storeTimeoutMs: 0 }, refusal("storeTimeoutMs", "from 1 to 2147483647", "0")],
    [{ storeTimeoutMs: 2_147_483_648 }, refusal("storeTimeoutMs", "from 1 to 2147483647", "2147483648")],
  ])("refuses %j, naming the option and its range", (options, error) => {
    expect(() => cacheSettings(options)).toThrow(error);
  });

  it("refuses an unknown option, listing every option it takes", () => {
    expect(() => cacheSettings({ ttlMs: 5 } as never)).toThrow(
      new TypeError("createPriceCache: unknown option ttlMs; did you mean minTtlMs? It takes store, maxEntries, minTtlMs, maxTtlMs, graceMs, refreshSpreadMs, maxRefreshesPerSecond, storeTimeoutMs, onStoreError, onRefreshError."),
    );
  });

  it("refuses a store without the operations the cache needs, naming them", () => {
    const { get, set, deleteIfEquals } = createMemoryStore();
    expect(() => cacheSettings({ store: { get, set, deleteIfEquals } as never })).toThrow(
      "createPriceCache: store must be a FlatpeakStore (get, set, setIfEquals, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis); this one has no setIfEquals",
    );
    const { setIfEquals } = createMemoryStore();
    expect(() => cacheSettings({ store: { get, set, setIfEquals } as never })).toThrow("; this one has no deleteIfEquals.");
  });

  it("tells the hooks given, and keeps a hook that throws or rejects from reaching the cache", async () => {
    const told: unknown[] = [];
    const failure = new Error("store down");
    const settings = cacheSettings({ onStoreError: (error) => told.push(["store", error]), onRefreshError: (error) => told.push(["refresh", error]) });
    settings.onStoreError(failure);
    settings.onRefreshError(failure);
    expect(told).toEqual([
      ["store", failure],
      ["refresh", failure],
    ]);
    const broken = cacheSettings({
      onStoreError: () => {
        throw new Error("hook broke");
      },
      onRefreshError: () => Promise.reject(new Error("hook broke")),
    });
    expect(() => broken.onStoreError(failure)).not.toThrow();
    expect(() => broken.onRefreshError(failure)).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});
