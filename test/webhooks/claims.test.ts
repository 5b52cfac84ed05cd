/**
 * Claims that must hold while the handlers run, on fake clocks: renewed
 * every third of the lease, fenced to this dispatch's own claim (renewal,
 * done mark and release write only while the store holds it), a lost claim
 * reported as `lease_lost` with nothing written, and every store call
 * shielded — a store that rejects, throws, never settles or answers what
 * the contract does not allow is a failing store at each step.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../src/store/index.js";
import { createTestEvent } from "../../src/testing/index.js";
import { FlatpeakWebhookError, createEventRouter, type EventHandlerContext, type FlatpeakEvent } from "../../src/webhooks/index.js";
import { FAULTS, faultyStore, type FaultyStore } from "../helpers/faulty-store.js";

afterEach(() => {
  vi.useRealTimers();
});

const LEASE_MS = 900;
const keyOf = (event: FlatpeakEvent) => `flatpeak:event:${event.id}`;

function fakeClocks() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
}

/** A handler that settles when the test says so, and keeps the context of its run. */
function heldHandler() {
  const contexts: EventHandlerContext[] = [];
  let settle: ((error?: Error) => void) | undefined;
  const handler = (_event: FlatpeakEvent, context: EventHandlerContext) => {
    contexts.push(context);
    return new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
  };
  /** Settles the handler's run, once it has started. */
  const finish = async (error?: Error) => {
    for (let turns = 0; settle === undefined; turns++) {
      if (turns > 1_000) throw new Error("the handler never started");
      await new Promise((resolve) => setImmediate(resolve));
    }
    settle(error);
  };
  return { contexts, handler, finish };
}

/** A router on `store` with a held handler, and what it told onStoreError. */
function routerOn(store: FaultyStore, leaseMs = LEASE_MS) {
  const held = heldHandler();
  const told: FlatpeakWebhookError[] = [];
  const router = createEventRouter({ store, leaseMs }).onUnknown(held.handler);
  const dispatch = (event: FlatpeakEvent, signal?: AbortSignal) => router.dispatch(event, { onStoreError: (error) => told.push(error as FlatpeakWebhookError), signal });
  return { ...held, told, dispatch, reasons: () => told.map((error) => error.reason) };
}

const renewals = (store: FaultyStore, event: FlatpeakEvent) => store.calls.filter((call) => call.operation === "setIfEquals" && call.key === keyOf(event) && call.value?.startsWith("claimed:"));

describe("a claim renewed while the handlers run", () => {
  it("renews every third of the lease, so a handler three times longer than its lease runs once", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const b = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await vi.advanceTimersByTimeAsync(299);
    expect(renewals(store, event)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(renewals(store, event)).toHaveLength(1);
    for (let at = 300; at < 3 * LEASE_MS; at += 300) {
      await vi.advanceTimersByTimeAsync(300);
      expect(await b.dispatch(event)).toBe("in_progress");
    }
    await a.finish();
    expect(await inA).toBe("handled");
    expect(await b.dispatch(event)).toBe("duplicate");
    expect([a.contexts.length, b.contexts.length, renewals(store, event).length, a.told]).toEqual([1, 0, 9, []]);
    expect(a.contexts[0]?.signal.aborted).toBe(false);
  });

  it("renews with the lease's own time to live, so a claim left alone lapses one lease after its last renewal", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    void a.dispatch(event);
    await vi.advanceTimersByTimeAsync(600);
    store.stalling.add("setIfEquals");
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect(await store.get(keyOf(event))).toMatch(/^claimed:/);
    await vi.advanceTimersByTimeAsync(1);
    expect(await store.get(keyOf(event))).toBeUndefined();
  });

  it("stops renewing and leaves no timer once the handlers settled", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await vi.advanceTimersByTimeAsync(650);
    await a.finish();
    await inA;
    const renewed = renewals(store, event).length;
    await vi.advanceTimersByTimeAsync(10 * LEASE_MS);
    expect([renewed, renewals(store, event).length, vi.getTimerCount()]).toEqual([2, 2, 0]);
  });

  it("never aborts the handlers' signal without a store", async () => {
    const contexts: EventHandlerContext[] = [];
    const router = createEventRouter().onUnknown((_event, context) => void contexts.push(context));
    await router.dispatch(createTestEvent("device.update"));
    expect(contexts.map((context) => [context.signal instanceof AbortSignal, context.signal.aborted])).toEqual([[true, false]]);
  });
});

describe("a claim that was lost", () => {
  it("stops renewing, aborts the handlers' signal, writes nothing and reports lease_lost once another delivery holds the claim", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await vi.advanceTimersByTimeAsync(350);
    await store.set(keyOf(event), "claimed:the-new-holder", { ttlMs: 60_000 });
    await vi.advanceTimersByTimeAsync(250);
    const signal = a.contexts[0]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: "FlatpeakWebhookError", reason: "lease_lost" });
    expect(a.reasons()).toEqual(["lease_lost"]);
    expect(a.told[0]?.message).toBe(
      `Webhook delivery: the claim on event ${event.id} was lost while its handlers ran (they outlived the lease, or the store could not be reached to renew it), so this process wrote nothing and the delivery that holds it now stands.`,
    );
    const calls = store.calls.length;
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    await a.finish();
    expect(await inA).toBe("handled");
    expect([store.calls.length - calls, await store.get(keyOf(event)), a.reasons()]).toEqual([0, "claimed:the-new-holder", ["lease_lost"]]);
  });

  it("writes no done mark over a claim that changed hands after its last renewal, and reports lease_lost", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await vi.advanceTimersByTimeAsync(310);
    await store.set(keyOf(event), "claimed:the-new-holder", { ttlMs: 60_000 });
    await a.finish();
    expect(await inA).toBe("handled");
    expect([await store.get(keyOf(event)), a.reasons(), a.contexts[0]?.signal.aborted]).toEqual(["claimed:the-new-holder", ["lease_lost"], false]);
  });

  it("releases nothing when a handler fails after its claim changed hands, and reports lease_lost", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await store.set(keyOf(event), "claimed:the-new-holder", { ttlMs: 60_000 });
    await a.finish(new Error("handler failed"));
    await expect(inA).rejects.toThrow("handler failed");
    expect([await store.get(keyOf(event)), a.reasons()]).toEqual(["claimed:the-new-holder", ["lease_lost"]]);
  });

  it("takes the claim as lost when no renewal was confirmed for a whole lease, and reports each failed renewal", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("device.update");
    const inA = a.dispatch(event);
    await vi.advanceTimersByTimeAsync(300);
    store.failing.add("setIfEquals");
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect([a.contexts[0]?.signal.aborted, a.reasons()]).toEqual([false, ["store_unavailable", "store_unavailable"]]);
    expect(a.told[0]?.message).toBe(`Webhook delivery: the claim on event ${event.id} could not be renewed.`);
    await vi.advanceTimersByTimeAsync(1);
    expect([a.contexts[0]?.signal.aborted, a.reasons()]).toEqual([true, ["store_unavailable", "store_unavailable", "lease_lost"]]);
    store.failing.clear();
    await a.finish();
    expect(await inA).toBe("handled");
    expect(store.calls.filter((call) => call.value === "done")).toEqual([]);
  });

  it("answers a lease lost while the handlers run as a handler failure when a handler stops on its signal", async () => {
    fakeClocks();
    const store = faultyStore();
    const router = createEventRouter({ store, leaseMs: LEASE_MS }).onUnknown(
      (_event, { signal }) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
    );
    const event = createTestEvent("device.update");
    const dispatched = router.dispatch(event).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    await store.set(keyOf(event), "claimed:the-new-holder", { ttlMs: 60_000 });
    await vi.advanceTimersByTimeAsync(300);
    expect(await dispatched).toMatchObject({ reason: "lease_lost" });
    expect(await store.get(keyOf(event))).toBe("claimed:the-new-holder");
  });
});

describe("a store that fails at any step", () => {
  it.each(FAULTS.flatMap((fault) => (["set", "get"] as const).map((operation) => [fault, operation] as const)))(
    "rejects with store_unavailable and runs nothing when the claim's %s %s",
    async (fault, operation) => {
      fakeClocks();
      const store = faultyStore();
      const a = routerOn(store);
      const event = createTestEvent("location.update");
      if (operation === "get") await store.set(keyOf(event), "claimed:other", { ttlMs: 60_000 });
      store[fault].add(operation);
      const outcome = a.dispatch(event).catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(300);
      expect(await outcome).toMatchObject({ name: "FlatpeakWebhookError", reason: "store_unavailable", message: "Webhook delivery: the event store could not be reached, so the delivery cannot be checked for duplicates." });
      expect(a.contexts).toHaveLength(0);
    },
  );

  it.each(FAULTS)("reports each renewal of a store that is %s, and the lost claim a lease later", async (fault) => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("location.update");
    const dispatched = a.dispatch(event);
    store[fault].add("setIfEquals");
    // A stalled renewal is only given up after a third of the lease: by the time the lease runs out, one has been.
    const failed = fault === "stalling" ? 1 : 2;
    await vi.advanceTimersByTimeAsync(LEASE_MS - 1);
    expect(a.reasons()).toEqual(Array(failed).fill("store_unavailable"));
    expect(a.contexts[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.reasons()).toEqual([...Array(failed).fill("store_unavailable"), "lease_lost"]);
    expect(a.contexts[0]?.signal.aborted).toBe(true);
    expect((a.told[0]?.cause as Error).message).toMatch(fault === "stalling" ? /^The store did not answer setIfEquals within 300 ms\.$/ : fault === "garbage" ? /^The store's setIfEquals answered string, where the store contract has true or false\.$/ : /^The store's setIfEquals failed: store (down|broken)$/);
    await a.finish();
    expect(await dispatched).toBe("handled");
  });

  it.each(FAULTS)("resolves handled, and reports it, when the done mark meets a store that is %s", async (fault) => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("location.update");
    const dispatched = a.dispatch(event);
    store[fault].add("setIfEquals");
    await a.finish();
    await vi.advanceTimersByTimeAsync(300);
    expect(await dispatched).toBe("handled");
    expect(a.told.map((error) => [error.reason, error.message])).toEqual([["store_unavailable", `Webhook delivery: event ${event.id} was handled, but the store did not record it; its claim holds until the lease expires.`]]);
  });

  it.each(FAULTS)("rejects with the handler's error, and reports it, when the release meets a store that is %s", async (fault) => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store);
    const event = createTestEvent("location.update");
    const dispatched = a.dispatch(event).catch((error: unknown) => error);
    store[fault].add("deleteIfEquals");
    await a.finish(new Error("handler failed"));
    await vi.advanceTimersByTimeAsync(300);
    expect(await dispatched).toEqual(new Error("handler failed"));
    expect(a.reasons()).toEqual(["store_unavailable"]);
  });
});

describe("the delivery's deadline, as the dispatch's signal", () => {
  it("rejects with store_unavailable when the claim is still under way as the signal aborts", async () => {
    fakeClocks();
    const store = faultyStore();
    store.stalling.add("set");
    const a = routerOn(store, 60_000);
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(), 50);
    const outcome = a.dispatch(createTestEvent("location.update"), deadline.signal).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    const error = (await outcome) as FlatpeakWebhookError;
    expect([error.reason, (error.cause as Error).message]).toEqual(["store_unavailable", "The store did not answer set before the caller's deadline."]);
  });

  it("resolves at the signal without waiting for a done mark that hangs, and reports it once it is given up", async () => {
    fakeClocks();
    const store = faultyStore();
    const a = routerOn(store, 60_000);
    const deadline = new AbortController();
    const event = createTestEvent("location.update");
    const dispatched = a.dispatch(event, deadline.signal);
    store.stalling.add("setIfEquals");
    await a.finish();
    let settled = false;
    void dispatched.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(false);
    deadline.abort();
    expect(await dispatched).toBe("handled");
    expect(a.told).toEqual([]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(a.reasons()).toEqual(["store_unavailable"]);
  });

  it("waits for a done mark that lands before the signal, and writes it", async () => {
    const store = faultyStore(createMemoryStore());
    const a = routerOn(store);
    const event = createTestEvent("location.update");
    const dispatched = a.dispatch(event, new AbortController().signal);
    await a.finish();
    expect(await dispatched).toBe("handled");
    expect(await store.get(keyOf(event))).toBe("done");
  });
});
