/**
 * The store contract as tests: every FlatpeakStore implementation runs this
 * suite (the memory store, and the Redis store through each client), so that
 * they answer the same for the same calls.
 */
import { expect, it } from "vitest";
import type { FlatpeakStore } from "../../src/store/index.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sequence = 0;
/** A key no other test of the run uses, so the suite can run against one shared Redis. */
const freshKey = () => `contract:${process.pid}:${++sequence}:${Math.random().toString(36).slice(2)}`;

export function storeContract(makeStore: () => FlatpeakStore): void {
  it("answers undefined for a key that holds nothing", async () => {
    expect(await makeStore().get(freshKey())).toBeUndefined();
  });

  it("reads back what was written, and a later write replaces it", async () => {
    const store = makeStore();
    const key = freshKey();
    expect(await store.set(key, "first", { ttlMs: 60_000 })).toBe(true);
    expect(await store.get(key)).toBe("first");
    expect(await store.set(key, "second", { ttlMs: 60_000 })).toBe(true);
    expect(await store.get(key)).toBe("second");
  });

  it("keeps text exactly: unicode, JSON, empty and long values", async () => {
    const store = makeStore();
    for (const value of ["", "zählerstand ⚡ 電力", JSON.stringify({ token: "eyJ…", expiresAt: 1 }), "x".repeat(100_000)]) {
      const key = freshKey();
      await store.set(key, value, { ttlMs: 60_000 });
      expect(await store.get(key)).toBe(value);
    }
  });

  it("writes onlyIfAbsent only to a free key, and leaves a taken one as it is", async () => {
    const store = makeStore();
    const key = freshKey();
    expect(await store.set(key, "a", { ttlMs: 60_000, onlyIfAbsent: true })).toBe(true);
    expect(await store.set(key, "b", { ttlMs: 60_000, onlyIfAbsent: true })).toBe(false);
    expect(await store.get(key)).toBe("a");
    expect(await store.set(key, "c", { ttlMs: 60_000, onlyIfAbsent: false })).toBe(true);
    expect(await store.get(key)).toBe("c");
  });

  it("gives a free key to exactly one of 50 concurrent onlyIfAbsent writes", async () => {
    const store = makeStore();
    const key = freshKey();
    const won = await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(key, `writer-${i}`, { ttlMs: 60_000, onlyIfAbsent: true })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await store.get(key)).toBe(`writer-${won.indexOf(true)}`);
  });

  it("forgets a value once its ttlMs has passed, and then lets onlyIfAbsent take the key", async () => {
    const store = makeStore();
    const key = freshKey();
    await store.set(key, "short", { ttlMs: 40, onlyIfAbsent: true });
    expect(await store.get(key)).toBe("short");
    await pause(80);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.set(key, "again", { ttlMs: 60_000, onlyIfAbsent: true })).toBe(true);
  });

  it("deletes a key only while it holds the value given", async () => {
    const store = makeStore();
    const key = freshKey();
    await store.set(key, "mine", { ttlMs: 60_000 });
    expect(await store.deleteIfEquals(key, "theirs")).toBe(false);
    expect(await store.get(key)).toBe("mine");
    expect(await store.deleteIfEquals(key, "mine")).toBe(true);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.deleteIfEquals(key, "mine")).toBe(false);
  });

  it("does not delete a value that expired and was written again by someone else", async () => {
    const store = makeStore();
    const key = freshKey();
    await store.set(key, "lease-1", { ttlMs: 30 });
    await pause(60);
    await store.set(key, "lease-2", { ttlMs: 60_000, onlyIfAbsent: true });
    expect(await store.deleteIfEquals(key, "lease-1")).toBe(false);
    expect(await store.get(key)).toBe("lease-2");
  });

  it("writes with setIfEquals only while the key holds the value expected, with the new time to live", async () => {
    const store = makeStore();
    const key = freshKey();
    const setIfEquals = store.setIfEquals?.bind(store) ?? (() => Promise.reject(new Error("no setIfEquals")));
    expect(await setIfEquals(key, "claim-a", "done", { ttlMs: 60_000 })).toBe(false);
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, "claim-a", { ttlMs: 60_000 });
    expect(await setIfEquals(key, "claim-b", "done", { ttlMs: 60_000 })).toBe(false);
    expect(await store.get(key)).toBe("claim-a");
    expect(await setIfEquals(key, "claim-a", "claim-a", { ttlMs: 50 })).toBe(true);
    expect(await setIfEquals(key, "claim-a", "done", { ttlMs: 60_000 })).toBe(true);
    expect(await store.get(key)).toBe("done");
    await store.set(key, "claim-c", { ttlMs: 40 });
    await pause(80);
    expect(await setIfEquals(key, "claim-c", "done", { ttlMs: 60_000 })).toBe(false);
    expect(await store.get(key)).toBeUndefined();
  });

  it("renews with setIfEquals for exactly the time given, so an unrenewed claim expires", async () => {
    const store = makeStore();
    const key = freshKey();
    await store.set(key, "claim", { ttlMs: 60_000 });
    expect(await store.setIfEquals?.(key, "claim", "claim", { ttlMs: 40 })).toBe(true);
    await pause(80);
    expect(await store.get(key)).toBeUndefined();
  });

  it("lets exactly one of 50 concurrent setIfEquals of the same expected value write", async () => {
    const store = makeStore();
    const key = freshKey();
    await store.set(key, "start", { ttlMs: 60_000 });
    const won = await Promise.all(Array.from({ length: 50 }, (_, i) => store.setIfEquals?.(key, "start", `writer-${i}`, { ttlMs: 60_000 })));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await store.get(key)).toBe(`writer-${won.indexOf(true)}`);
  });

  it.each<[string, (store: FlatpeakStore) => Promise<unknown>, RegExp]>([
    ["an empty key", (store) => store.get(""), /FlatpeakStore\.get: the key must be a non-empty string/],
    ["a key that is not a string", (store) => store.deleteIfEquals(42 as never, "x"), /FlatpeakStore\.deleteIfEquals: the key must be a non-empty string/],
    ["a value that is not a string", (store) => store.set(freshKey(), { token: "x" } as never, { ttlMs: 1000 }), /FlatpeakStore\.set: the value must be a string \(JSON\.stringify objects first\), got object/],
    ["a null value to compare", (store) => store.deleteIfEquals(freshKey(), null as never), /got null/],
    ["no options", (store) => store.set(freshKey(), "x", undefined as never), /options\.ttlMs must be a whole number of milliseconds, 1 or more, got undefined/],
    ["a ttlMs of 0", (store) => store.set(freshKey(), "x", { ttlMs: 0 }), /got 0\./],
    ["a negative ttlMs", (store) => store.set(freshKey(), "x", { ttlMs: -5 }), /got -5\./],
    ["a NaN ttlMs", (store) => store.set(freshKey(), "x", { ttlMs: Number.NaN }), /got NaN\./],
    ["a fractional ttlMs", (store) => store.set(freshKey(), "x", { ttlMs: 1.5 }), /got 1\.5\./],
    ["an expected value that is not a string", (store) => store.setIfEquals?.(freshKey(), 7 as never, "x", { ttlMs: 1000 }) ?? Promise.resolve(), /FlatpeakStore\.setIfEquals: the value must be a string \(JSON\.stringify objects first\), got number/],
    ["a new value that is not a string", (store) => store.setIfEquals?.(freshKey(), "x", null as never, { ttlMs: 1000 }) ?? Promise.resolve(), /FlatpeakStore\.setIfEquals: the value must be a string .*got null/],
    ["an empty key to setIfEquals", (store) => store.setIfEquals?.("", "x", "y", { ttlMs: 1000 }) ?? Promise.resolve(), /FlatpeakStore\.setIfEquals: the key must be a non-empty string/],
    ["a setIfEquals without a ttlMs", (store) => store.setIfEquals?.(freshKey(), "x", "y", {} as never) ?? Promise.resolve(), /FlatpeakStore\.setIfEquals: options\.ttlMs must be a whole number of milliseconds, 1 or more, got undefined/],
  ])("refuses %s with a TypeError that says what to pass", async (_case, call, message) => {
    const error = await call(makeStore()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });
}
