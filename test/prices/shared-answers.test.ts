/**
 * The records a price cache shares through its store, each write fenced:
 * placeholders and answers written only over what was there, tombstones,
 * the refresh lock, the time to live of each, and a failing or resting store
 * read as "not written" instead of an error.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PriceEntry } from "../../src/prices/price-entry.js";
import { sharedAnswers } from "../../src/prices/shared-answers.js";
import { STORE_FAILED, storeWaits } from "../../src/prices/store-waits.js";
import type { FlatpeakStore } from "../../src/store/index.js";
import { faultyStore } from "../helpers/faulty-store.js";

afterEach(() => {
  vi.useRealTimers();
});

const KEY = "flatpeak:prices:loc_1:IMPORT";
const ENTRY: PriceEntry = { from: 1_000, to: 2_000, freshUntil: 3_000, refreshAt: 2_500, timezone: "Europe/London", currency: "GBP", lastUpdated: 500, nextUpdate: 3_000, data: [[1_000, 2_000, 0.2, 1]] };
const GEN = /^\{"gen":"[0-9a-f-]{36}"\}$/;

/** Shared answers over a faulty memory store whose writes are recorded with their options. */
function shared() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  const store = faultyStore();
  const writes: unknown[][] = [];
  const recorded: FlatpeakStore = {
    get: (key) => store.get(key),
    set: (key, value, options) => (writes.push(["set", key, value, options]), store.set(key, value, options)),
    setIfEquals: (key, expected, value, options) => (writes.push(["setIfEquals", key, expected, value, options]), store.setIfEquals(key, expected, value, options)),
    deleteIfEquals: (key, value) => (writes.push(["deleteIfEquals", key, value]), store.deleteIfEquals(key, value)),
  };
  const errors: unknown[] = [];
  const waits = storeWaits(recorded, { timeoutMs: 300, retryMs: 5_000, onStoreError: (error) => errors.push(error) });
  /** Makes the store fail once, so that the waits rest for retryMs. */
  const rest = async () => {
    store.failing.add("get");
    await waits.call("get", ["other"]).catch(() => undefined);
    store.failing.delete("get");
  };
  return { store, writes, errors, waits, answers: sharedAnswers(waits), rest };
}

describe("sharedAnswers", () => {
  it("reads no record, a record with its exact text and answer, a record of no answer, and a store that cannot say", async () => {
    const { store, waits, answers } = shared();
    expect(await answers.read(KEY, waits.question())).toBeUndefined();
    const text = JSON.stringify({ gen: "g1", entry: ENTRY });
    await store.set(KEY, text, { ttlMs: 60_000 });
    expect(await answers.read(KEY, waits.question())).toEqual({ text, entry: ENTRY });
    await store.set(KEY, '{"gen":"g2"}', { ttlMs: 60_000 });
    expect(await answers.read(KEY, waits.question())).toEqual({ text: '{"gen":"g2"}', entry: undefined });
    store.failing.add("get");
    expect(await answers.read(KEY, waits.question())).toBe(STORE_FAILED);
  });

  it("writes a placeholder of its own for five minutes only where there is none, then the answer over it alone", async () => {
    const { writes, answers, store } = shared();
    const placeholder = await answers.placeholder(KEY);
    expect(placeholder?.text).toMatch(GEN);
    expect(placeholder?.entry).toBeUndefined();
    expect(writes).toEqual([["set", KEY, placeholder?.text, { ttlMs: 300_000, onlyIfAbsent: true }]]);
    expect(await answers.placeholder(KEY)).toBeUndefined();
    const written = await answers.write(KEY, placeholder as never, ENTRY, 42_000);
    expect(written).toEqual({ text: await store.get(KEY), entry: ENTRY });
    expect(JSON.parse(written?.text ?? "")).toEqual({ gen: expect.stringMatching(/^[0-9a-f-]{36}$/), entry: ENTRY });
    expect(writes.at(-1)).toEqual(["setIfEquals", KEY, placeholder?.text, written?.text, { ttlMs: 42_000 }]);
    expect(await answers.write(KEY, placeholder as never, ENTRY, 42_000)).toBeUndefined();
    expect(await store.get(KEY)).toBe(written?.text);
  });

  it("gives every record a generation of its own", async () => {
    const { answers } = shared();
    const texts = [(await answers.placeholder("a"))?.text, (await answers.placeholder("b"))?.text];
    const first = await answers.write("a", { text: texts[0] as string, entry: undefined }, ENTRY, 1_000);
    const second = await answers.write("b", { text: texts[1] as string, entry: undefined }, ENTRY, 1_000);
    expect(new Set([...texts, first?.text, second?.text]).size).toBe(4);
  });

  it("replaces a record by a tombstone of no answer for a minute, and rejects when the store fails", async () => {
    const { writes, answers, store } = shared();
    await store.set(KEY, JSON.stringify({ gen: "g1", entry: ENTRY }), { ttlMs: 60_000 });
    await answers.tombstone(KEY);
    const tombstone = await store.get(KEY);
    expect(tombstone).toMatch(GEN);
    expect(writes).toEqual([["set", KEY, tombstone, { ttlMs: 60_000 }]]);
    store.failing.add("set");
    await expect(answers.tombstone(KEY)).rejects.toThrow("store down");
  });

  it("locks a refresh for a minute under a key of its own, to one owner at a time, and unlocks only its own lock", async () => {
    const { writes, answers, store } = shared();
    const owner = await answers.lock(KEY);
    expect(owner).toMatch(/^[0-9a-f-]{36}$/);
    expect(writes).toEqual([["set", `${KEY}:refresh`, owner, { ttlMs: 60_000, onlyIfAbsent: true }]]);
    expect(await answers.lock(KEY)).toBe(false);
    answers.unlock(KEY, "someone else");
    await vi.advanceTimersByTimeAsync(0);
    expect(await store.get(`${KEY}:refresh`)).toBe(owner);
    answers.unlock(KEY, owner as string);
    await vi.advanceTimersByTimeAsync(0);
    expect(await store.get(`${KEY}:refresh`)).toBeUndefined();
    expect(writes.at(-1)).toEqual(["deleteIfEquals", `${KEY}:refresh`, owner]);
    expect(typeof (await answers.lock(KEY))).toBe("string");
  });

  it("reads a failing store as nothing written, never as an error, and tells it", async () => {
    const { answers, store, errors } = shared();
    store.failing.add("set");
    store.failing.add("setIfEquals");
    expect(await answers.lock(KEY)).toBeUndefined();
    vi.advanceTimersByTime(5_000);
    expect(await answers.placeholder(KEY)).toBeUndefined();
    vi.advanceTimersByTime(5_000);
    expect(await answers.write(KEY, { text: "x", entry: undefined }, ENTRY, 1_000)).toBeUndefined();
    store.failing.add("deleteIfEquals");
    answers.unlock(KEY, "owner");
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.map(String)).toEqual(["set", "set", "setIfEquals", "deleteIfEquals"].map((operation) => `Error: The store's ${operation} failed: store down`));
  });

  it("writes nothing while the store rests after a failure, and writes again once it is over", async () => {
    const { answers, writes, rest } = shared();
    await rest();
    expect([await answers.placeholder(KEY), await answers.lock(KEY), await answers.write(KEY, { text: "x", entry: undefined }, ENTRY, 1_000)]).toEqual([undefined, undefined, undefined]);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(await answers.placeholder(KEY)).toBeDefined();
    expect(typeof (await answers.lock(KEY))).toBe("string");
  });
});
