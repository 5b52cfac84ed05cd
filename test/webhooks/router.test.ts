/**
 * The event router: typed handlers, and exactly-once handling through claims
 * in a store (claim → complete / release), on the memory store and on stores
 * that fail.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../src/store/index.js";
import { createTestEvent } from "../../src/testing/index.js";
import { FlatpeakWebhookError, createEventRouter, type FlatpeakEvent } from "../../src/webhooks/index.js";
import { faultyStore } from "../helpers/faulty-store.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A handler that settles when the test says so, and counts its runs. */
function controlledHandler() {
  const runs: string[] = [];
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const handler = (event: FlatpeakEvent) => {
    runs.push(event.id);
    return new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  const started = async () => {
    while (settle === undefined) await new Promise((resolve) => setTimeout(resolve, 1));
    const current = settle;
    settle = undefined;
    return current;
  };
  return { runs, handler, started };
}

describe("createEventRouter", () => {
  it("runs the handlers of the event's type, in order, with the event typed", async () => {
    const seen: string[] = [];
    const router = createEventRouter()
      .on("tariff.expired", (event) => {
        seen.push(`first ${event.data.location_id}`);
      })
      .on("tariff.expired", async (event) => {
        seen.push(`second ${event.data.tariff_id ?? ""}`);
      })
      .on("location.update", (event) => {
        seen.push(`location ${event.data.timezone ?? ""}`);
      });
    const expired = createTestEvent("tariff.expired");
    expect(await router.dispatch(expired)).toBe("handled");
    await router.dispatch(createTestEvent("location.update"));
    expect(seen).toEqual([`first ${expired.data.location_id}`, `second ${expired.data.tariff_id ?? ""}`, "location Europe/London"]);
  });

  it("hands events no handler takes, types added later included, to onUnknown", async () => {
    const unknown: string[] = [];
    const router = createEventRouter()
      .on("tariff.expired", () => undefined)
      .onUnknown((event) => {
        unknown.push(event.type);
      });
    await router.dispatch({ id: "evt_1", object: "event", type: "battery.update", data: {} });
    await router.dispatch(createTestEvent("device.create"));
    expect(unknown).toEqual(["battery.update", "device.create"]);
  });

  it("without a store, runs the handlers for every delivery and passes a failure on", async () => {
    let runs = 0;
    const router = createEventRouter().on("customer.create", () => {
      runs++;
      if (runs === 1) throw new Error("database down");
    });
    const event = createTestEvent("customer.create");
    await expect(router.dispatch(event)).rejects.toThrow("database down");
    expect([await router.dispatch(event), await router.dispatch(event), runs]).toEqual(["handled", "handled", 3]);
  });
});

describe("exactly-once handling with a store", () => {
  it("runs the handlers once, and answers duplicate for every later delivery", async () => {
    let runs = 0;
    const store = createMemoryStore();
    const router = createEventRouter({ store }).on("tariff.expiring", () => {
      runs++;
    });
    const event = createTestEvent("tariff.expiring");
    expect([await router.dispatch(event), await router.dispatch(event), await router.dispatch(event)]).toEqual(["handled", "duplicate", "duplicate"]);
    expect(runs).toBe(1);
    expect(await store.get(`flatpeak:event:${event.id}`)).toBe("done");
  });

  it("releases the claim when a handler fails, so the redelivery runs the handlers again", async () => {
    const attempts: string[] = [];
    const router = createEventRouter({ store: createMemoryStore() }).on("customer.create", (event) => {
      attempts.push(event.id);
      if (attempts.length === 1) throw new Error("database down");
    });
    const event = createTestEvent("customer.create");
    await expect(router.dispatch(event)).rejects.toThrow("database down");
    expect(await router.dispatch(event)).toBe("handled");
    expect(await router.dispatch(event)).toBe("duplicate");
    expect(attempts).toEqual([event.id, event.id]);
  });

  it("answers in_progress to a delivery that arrives while the same event is being handled, and duplicate after", async () => {
    const { runs, handler, started } = controlledHandler();
    const router = createEventRouter({ store: createMemoryStore() }).onUnknown(handler);
    const event = createTestEvent("device.update");
    const first = router.dispatch(event);
    const running = await started();
    expect(await router.dispatch(event)).toBe("in_progress");
    running.resolve();
    expect(await first).toBe("handled");
    expect(await router.dispatch(event)).toBe("duplicate");
    expect(runs).toEqual([event.id]);
  });

  it("shares claims between routers on one store, as processes sharing Redis do", async () => {
    const store = createMemoryStore();
    const { runs, handler, started } = controlledHandler();
    const [a, b] = [createEventRouter({ store }).onUnknown(handler), createEventRouter({ store }).onUnknown(handler)];
    const event = createTestEvent("location.delete");
    const inA = a.dispatch(event);
    const runningInA = await started();
    expect(await b.dispatch(event)).toBe("in_progress");
    runningInA.reject(new Error("failed in A"));
    await expect(inA).rejects.toThrow("failed in A");
    const inB = b.dispatch(event);
    (await started()).resolve();
    expect([await inB, await a.dispatch(event), runs.length]).toEqual(["handled", "duplicate", 2]);
  });

  it("lets a claim whose process died expire with its lease (default 60 s), so a later delivery is handled", async () => {
    vi.useFakeTimers({ toFake: ["performance", "setTimeout", "clearTimeout"] });
    const store = createMemoryStore();
    const dead = faultyStore(store);
    dead.stalling.add("setIfEquals");
    const crashed = createEventRouter({ store: dead }).onUnknown(() => new Promise<void>(() => undefined));
    const event = createTestEvent("device.create");
    void crashed.dispatch(event);
    let handled = 0;
    const survivor = createEventRouter({ store }).onUnknown(() => {
      handled++;
    });
    await vi.advanceTimersByTimeAsync(59_999);
    expect(await survivor.dispatch(event)).toBe("in_progress");
    await vi.advanceTimersByTimeAsync(1);
    expect(await survivor.dispatch(event)).toBe("handled");
    expect(handled).toBe(1);
  });

  it("remembers a handled event for 7 days by default, and for retentionMs when given", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    let runs = 0;
    const count = () => {
      runs++;
    };
    const byDefault = createEventRouter({ store: createMemoryStore() }).onUnknown(count);
    const short = createEventRouter({ store: createMemoryStore(), leaseMs: 1_000, retentionMs: 5_000 }).onUnknown(count);
    const event = createTestEvent("customer.update");
    await byDefault.dispatch(event);
    await short.dispatch(event);
    vi.advanceTimersByTime(4_999);
    expect(await short.dispatch(event)).toBe("duplicate");
    vi.advanceTimersByTime(1);
    expect(await short.dispatch(event)).toBe("handled");
    vi.advanceTimersByTime(7 * 24 * 3_600_000 - 5_001);
    expect(await byDefault.dispatch(event)).toBe("duplicate");
    vi.advanceTimersByTime(1);
    expect(await byDefault.dispatch(event)).toBe("handled");
    expect(runs).toBe(4);
  });

  it("takes a claim again when the one it met expired between its two reads", async () => {
    const store = faultyStore();
    const event = createTestEvent("tariff.expired");
    await store.set(`flatpeak:event:${event.id}`, "claimed:gone", { ttlMs: 60_000 });
    const realGet = store.get;
    store.get = async (key) => {
      await store.deleteIfEquals(key, "claimed:gone");
      return realGet(key);
    };
    let runs = 0;
    const router = createEventRouter({ store }).onUnknown(() => {
      runs++;
    });
    expect([await router.dispatch(event), runs]).toEqual(["handled", 1]);
  });

  it("answers in_progress when the key changes hands on every try, after two tries", async () => {
    const store = faultyStore();
    let tries = 0;
    store.set = async () => (tries++, false);
    store.get = async () => undefined;
    const router = createEventRouter({ store }).onUnknown(() => {
      throw new Error("must not run");
    });
    expect(await router.dispatch(createTestEvent("tariff.expired"))).toBe("in_progress");
    expect(tries).toBe(2);
  });

  it.each(["set", "get"] as const)("rejects with store_unavailable, and runs nothing, when the store's %s fails before the handlers", async (operation) => {
    const store = faultyStore();
    const event = createTestEvent("location.update");
    if (operation === "get") await store.set(`flatpeak:event:${event.id}`, "claimed:other", { ttlMs: 60_000 });
    store.failing.add(operation);
    let runs = 0;
    const router = createEventRouter({ store }).onUnknown(() => {
      runs++;
    });
    const error = (await router.dispatch(event).catch((caught: unknown) => caught)) as FlatpeakWebhookError;
    expect(error).toBeInstanceOf(FlatpeakWebhookError);
    expect([error.reason, error.message, (error.cause as Error).message, ((error.cause as Error).cause as Error).message, runs]).toEqual([
      "store_unavailable",
      "Webhook delivery: the event store could not be reached, so the delivery cannot be checked for duplicates.",
      `The store's ${operation} failed: store down`,
      "store down",
      0,
    ]);
  });

  it("resolves handled when only the done mark cannot be written, and tells onStoreError", async () => {
    const store = faultyStore();
    const router = createEventRouter({ store }).onUnknown(() => {
      store.failing.add("setIfEquals");
    });
    const event = createTestEvent("device.delete");
    const told: unknown[] = [];
    expect(await router.dispatch(event, { onStoreError: (error) => told.push(error) })).toBe("handled");
    expect(told).toEqual([expect.objectContaining({ reason: "store_unavailable", message: `Webhook delivery: event ${event.id} was handled, but the store did not record it; its claim holds until the lease expires.` })]);
    expect(((told[0] as Error).cause as Error).cause).toEqual(new Error("store down"));
  });

  it("rejects with the handler's error when the claim cannot be released either, and tells onStoreError", async () => {
    const store = faultyStore();
    const router = createEventRouter({ store }).onUnknown(() => {
      store.failing.add("deleteIfEquals");
      throw new Error("handler failed");
    });
    const event = createTestEvent("device.delete");
    const told: unknown[] = [];
    await expect(router.dispatch(event, { onStoreError: (error) => told.push(error) })).rejects.toThrow("handler failed");
    expect(told).toEqual([expect.objectContaining({ reason: "store_unavailable", message: `Webhook delivery: the claim on event ${event.id} could not be released, so a redelivery waits for its lease to expire.` })]);
  });

  it("keeps the outcome when onStoreError throws, or is not given", async () => {
    const store = faultyStore();
    const router = createEventRouter({ store }).onUnknown(() => {
      store.failing.add("setIfEquals");
    });
    expect(
      await router.dispatch(createTestEvent("device.delete"), {
        onStoreError: () => {
          throw new Error("logger broken");
        },
      }),
    ).toBe("handled");
    store.failing.clear();
    expect(await router.dispatch(createTestEvent("device.delete"))).toBe("handled");
  });

  it("claims with the lease, releases only its own claim, and marks done for the retention period", async () => {
    const store = faultyStore();
    const router = createEventRouter({ store, leaseMs: 30_000, retentionMs: 86_400_000 })
      .on("tariff.expired", () => undefined)
      .on("tariff.expiring", () => {
        throw new Error("no");
      });
    const done = createTestEvent("tariff.expired");
    await router.dispatch(done);
    const failed = createTestEvent("tariff.expiring");
    await router.dispatch(failed).catch(() => undefined);
    const [claim, mark, failedClaim, release] = store.calls;
    expect(claim).toEqual({ operation: "set", key: `flatpeak:event:${done.id}`, value: expect.stringMatching(/^claimed:[0-9a-f-]{36}$/) });
    expect(mark).toEqual({ operation: "setIfEquals", key: `flatpeak:event:${done.id}`, value: "done" });
    expect(release).toEqual({ operation: "deleteIfEquals", key: `flatpeak:event:${failed.id}`, value: failedClaim?.value });
    expect(failedClaim?.value).not.toBe(claim?.value);
  });

  it.each([
    ["an empty id", { id: "", object: "event", type: "x", data: {} }],
    ["an id that is a number", { id: 7, object: "event", type: "x", data: {} }],
    ["no event", undefined],
  ])("refuses to dispatch %s, which it cannot claim", async (_case, event) => {
    const router = createEventRouter({ store: createMemoryStore() });
    await expect(router.dispatch(event as never)).rejects.toThrow(new TypeError("router.dispatch: the event has no id to claim it by; pass a verified Flatpeak event."));
  });
});

describe("createEventRouter options", () => {
  it.each([
    ["a store without its operations", { store: { get: () => undefined } }, /^createEventRouter: store must be a FlatpeakStore \(get, set, setIfEquals, deleteIfEquals\), such as createMemoryStore\(\) or createRedisStore\(redis\); this one has no set, setIfEquals and deleteIfEquals\.$/],
    ["a store without set", { store: { get: () => undefined, setIfEquals: () => true, deleteIfEquals: () => true } }, /^createEventRouter: store must be a FlatpeakStore \(get, set, setIfEquals, deleteIfEquals\), such as createMemoryStore\(\) or createRedisStore\(redis\); this one has no set\.$/],
    ["a store without deleteIfEquals", { store: { get: () => undefined, set: () => true, setIfEquals: () => true } }, /; this one has no deleteIfEquals\.$/],
    [
      "a store of version 1.0, without setIfEquals",
      { store: { get: () => undefined, set: () => true, deleteIfEquals: () => true } },
      /^createEventRouter: store must be a FlatpeakStore \(get, set, setIfEquals, deleteIfEquals\), such as createMemoryStore\(\) or createRedisStore\(redis\); this one has no setIfEquals \(setIfEquals\(key, expected, value, \{ ttlMs \}\), which writes only while the key holds expected, joined the contract in version 1\.1\)\.$/,
    ],
    ["a store that is null", { store: null }, /^createEventRouter: store must be a FlatpeakStore \(get, set, setIfEquals, deleteIfEquals\), such as createMemoryStore\(\) or createRedisStore\(redis\)\.$/],
    ["a store that is a string", { store: "redis://localhost" }, /^createEventRouter: store must be a FlatpeakStore \(get, set, setIfEquals, deleteIfEquals\), such as createMemoryStore\(\) or createRedisStore\(redis\)\.$/],
    ["a leaseMs of 0", { store: createMemoryStore(), leaseMs: 0 }, /createEventRouter: leaseMs must be a whole number from 1 to 2147483647, got 0\./],
    ["a NaN leaseMs", { store: createMemoryStore(), leaseMs: Number.NaN }, /leaseMs must be a whole number from 1 to 2147483647, got NaN/],
    ["a retentionMs shorter than the lease", { store: createMemoryStore(), leaseMs: 10_000, retentionMs: 9_999 }, /^createEventRouter: retentionMs must be a whole number of 10000 or more, got 9999\.$/],
    ["a negative retentionMs", { store: createMemoryStore(), retentionMs: -1 }, /^createEventRouter: retentionMs must be a whole number of 60000 or more, got -1\.$/],
    ["leaseMs without a store", { leaseMs: 1_000 }, /^createEventRouter: leaseMs and retentionMs apply to claims in a store; pass a store too/],
    ["retentionMs without a store", { retentionMs: 1_000 }, /pass a store too, e\.g\. \{ store: createMemoryStore\(\) \}/],
  ])("refuses %s with a TypeError", (_case, options, message) => {
    expect(() => createEventRouter(options as never)).toThrow(message);
  });
});
