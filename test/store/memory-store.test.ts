import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../src/store/index.js";
import { storeContract } from "./contract.js";

describe("createMemoryStore: the store contract", () => {
  storeContract(() => createMemoryStore());
});

describe("createMemoryStore", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps at most maxEntries keys, dropping the oldest write first", async () => {
    const store = createMemoryStore({ maxEntries: 3 });
    for (const key of ["a", "b", "c"]) await store.set(key, key, { ttlMs: 60_000 });
    await store.set("a", "a again", { ttlMs: 60_000 });
    await store.set("d", "d", { ttlMs: 60_000 });
    expect(await Promise.all(["a", "b", "c", "d"].map((key) => store.get(key)))).toEqual(["a again", undefined, "c", "d"]);
  });

  it("takes maxEntries 1, and a ttlMs of 1 ms", async () => {
    const store = createMemoryStore({ maxEntries: 1 });
    await store.set("a", "a", { ttlMs: 1 });
    await store.set("b", "b", { ttlMs: 60_000 });
    expect([await store.get("a"), await store.get("b")]).toEqual([undefined, "b"]);
  });

  it("quotes a maxEntries given as text cut to 20 characters", () => {
    expect(() => createMemoryStore({ maxEntries: "1".repeat(30) as never })).toThrow(`got "${"1".repeat(20)}".`);
  });

  it("keeps 10,000 keys by default", async () => {
    const store = createMemoryStore();
    for (let i = 0; i <= 10_000; i++) await store.set(`k${i}`, String(i), { ttlMs: 60_000 });
    expect([await store.get("k0"), await store.get("k1"), await store.get("k10000")]).toEqual([undefined, "1", "10000"]);
  });

  it("expires a value on the monotonic clock, to the millisecond", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const store = createMemoryStore();
    await store.set("claim", "mine", { ttlMs: 1_000 });
    vi.advanceTimersByTime(999);
    expect(await store.get("claim")).toBe("mine");
    expect(await store.set("claim", "theirs", { ttlMs: 1_000, onlyIfAbsent: true })).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await store.get("claim")).toBeUndefined();
    expect(await store.deleteIfEquals("claim", "mine")).toBe(false);
  });

  it("does not count an expired value as taken, nor delete it as equal", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const store = createMemoryStore();
    await store.set("lock", "a", { ttlMs: 10 });
    vi.advanceTimersByTime(10);
    expect(await store.deleteIfEquals("lock", "a")).toBe(false);
    expect(await store.set("lock", "b", { ttlMs: 10, onlyIfAbsent: true })).toBe(true);
  });

  it.each([Number.NaN, 0, -1, 1.5, "100", Number.POSITIVE_INFINITY])("refuses maxEntries %s with a TypeError naming it", (maxEntries) => {
    expect(() => createMemoryStore({ maxEntries: maxEntries as number })).toThrow(
      new TypeError(`createMemoryStore: maxEntries must be a whole number of 1 or more, got ${typeof maxEntries === "string" ? '"100"' : String(maxEntries)}.`),
    );
  });
});
