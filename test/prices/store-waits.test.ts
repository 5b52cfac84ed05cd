/**
 * How the price cache waits for its store, on fake clocks: all calls of a
 * question within one timeout, none after one failed, the store left alone
 * for retryMs after a failure, each failure told once.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { STORE_FAILED, storeWaits } from "../../src/prices/store-waits.js";
import { faultyStore } from "../helpers/faulty-store.js";

afterEach(() => {
  vi.useRealTimers();
});

function waitsOn(store = faultyStore(), retryMs = 5_000) {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  const errors: unknown[] = [];
  return { store, errors, waits: storeWaits(store, { timeoutMs: 300, retryMs, onStoreError: (error) => errors.push(error) }) };
}

describe("storeWaits", () => {
  it("answers what the store answers, for a question and for work nobody waits for", async () => {
    const { store, waits } = waitsOn();
    await store.set("k", "v", { ttlMs: 60_000 });
    expect([await waits.question().call("get", ["k"]), await waits.call("get", ["k"]), await waits.call("set", ["k", "w", { ttlMs: 1 }])]).toStrictEqual(["v", "v", true]);
  });

  it("lets the calls of one question wait one timeout together, then makes none", async () => {
    const { store, waits, errors } = waitsOn();
    const question = waits.question();
    store.stalling.add("get");
    const first = question.call("get", ["k"]);
    await vi.advanceTimersByTimeAsync(299);
    store.stalling.clear();
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toBe(STORE_FAILED);
    expect(await question.call("get", ["k"])).toBe(STORE_FAILED);
    expect(store.calls).toHaveLength(1);
    expect(errors.map(String)).toStrictEqual(["Error: The store did not answer get within 300 ms."]);
  });

  it("gives the second call of a question what the first left of the timeout", async () => {
    const { store, waits } = waitsOn();
    const question = waits.question();
    const slowGet = store.get;
    store.get = async (key) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return slowGet(key);
    };
    const first = question.call("get", ["k"]);
    await vi.advanceTimersByTimeAsync(200);
    expect(await first).toBeUndefined();
    const second = question.call("get", ["k"]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await second).toBe(STORE_FAILED);
  });

  it("makes no call of a question after one failed, and none at all for retryMs after a failure", async () => {
    const { store, waits, errors } = waitsOn();
    store.failing.add("get");
    const question = waits.question();
    expect(await question.call("get", ["k"])).toBe(STORE_FAILED);
    store.failing.clear();
    expect([await question.call("get", ["k"]), await waits.question().call("get", ["k"]), waits.resting()]).toStrictEqual([STORE_FAILED, STORE_FAILED, true]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(await waits.question().call("get", ["k"])).toBe(STORE_FAILED);
    await vi.advanceTimersByTimeAsync(1);
    expect([waits.resting(), await waits.question().call("get", ["k"])]).toStrictEqual([false, undefined]);
    expect([store.calls.length, errors.length]).toStrictEqual([2, 1]);
  });

  it("makes no more calls of a question after one failed, even when the store is not resting", async () => {
    const { store, waits } = waitsOn(faultyStore(), 0);
    const question = waits.question();
    store.failing.add("get");
    expect(await question.call("get", ["k"])).toBe(STORE_FAILED);
    store.failing.clear();
    expect([waits.resting(), await question.call("get", ["k"]), await waits.question().call("get", ["k"])]).toStrictEqual([false, STORE_FAILED, undefined]);
    expect(store.calls).toHaveLength(2);
  });

  it("makes a call with 1 ms of the timeout left", async () => {
    const { store, waits } = waitsOn();
    const answerAfter = (ms: number) => {
      store.get = async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return "v";
      };
    };
    const question = waits.question();
    answerAfter(299);
    const first = question.call("get", ["k"]);
    await vi.advanceTimersByTimeAsync(299);
    expect(await first).toBe("v");
    answerAfter(0);
    const second = question.call("get", ["k"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(await second).toBe("v");
  });

  it("rejects work nobody waits for with the store's failure, tells it, and rests", async () => {
    const { store, waits, errors } = waitsOn();
    store.throwing.add("set");
    await expect(waits.call("set", ["k", "v", { ttlMs: 1 }])).rejects.toThrow("The store's set failed: store broken");
    expect([errors.length, waits.resting()]).toStrictEqual([1, true]);
    store.garbage.add("get");
    await expect(waits.call("get", ["k"])).rejects.toThrow("The store's get answered number, where the store contract has a string or undefined.");
  });
});
