/**
 * The fleet's log of price invalidations: what one process records, others
 * learn (once, not their own), a log that was flushed or lost changes means
 * everything, writes that meet each other are tried again, and those that
 * come together are written together.
 */
import { describe, expect, it, vi } from "vitest";
import { fleetChanges } from "../../src/prices/fleet-changes.js";
import { storeWaits } from "../../src/prices/store-waits.js";
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";
import { faultyStore } from "../helpers/faulty-store.js";

const LOG = "flatpeak:prices:changes";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function processOn(store: FlatpeakStore) {
  const learnt: Array<string[] | "all"> = [];
  const waits = storeWaits(store, { timeoutMs: 500, retryMs: 5_000, onStoreError: () => undefined });
  const changes = fleetChanges(waits, (changed) => learnt.push(changed));
  /** Looks at the log now, as a question does once half a second has passed. */
  const look = async () => {
    await pause(510);
    return changes.look(waits.question());
  };
  return { changes, learnt, look, waits };
}

describe("fleetChanges", () => {
  it("tells every other process what one recorded, once, and the recorder nothing", async () => {
    const store = createMemoryStore();
    const [a, b, c] = [processOn(store), processOn(store), processOn(store)];
    for (const process of [a, b, c]) expect(await process.changes.look(process.waits.question())).toBe(true);
    await a.changes.record("loc_1");
    await b.changes.record("loc_2");
    expect([await a.look(), await b.look(), await c.look()]).toStrictEqual([true, true, true]);
    expect([a.learnt, b.learnt, c.learnt]).toStrictEqual([[["loc_2"]], [["loc_1"]], [["loc_1", "loc_2"]]]);
    await c.look();
    expect(c.learnt).toHaveLength(1);
  });

  it("reads the log at most twice a second, one read for the questions asking at once", async () => {
    const memory = createMemoryStore();
    let reads = 0;
    const { changes, waits } = processOn({ ...memory, get: (key) => (reads++, memory.get(key)) });
    await Promise.all(Array.from({ length: 5 }, () => changes.look(waits.question())));
    await changes.look(waits.question());
    expect(reads).toBe(1);
    await pause(510);
    await Promise.all(Array.from({ length: 5 }, () => changes.look(waits.question())));
    expect(reads).toBe(2);
  });

  it("tells of everything when the log was flushed, started anew, or lost changes it was not shown", async () => {
    const store = createMemoryStore();
    const [a, b] = [processOn(store), processOn(store)];
    await a.look();
    await b.changes.record("loc_1");
    await a.look();
    await store.deleteIfEquals(LOG, (await store.get(LOG)) ?? "");
    await a.look();
    await b.changes.record("loc_2");
    await a.look();
    const log = JSON.parse((await store.get(LOG)) ?? "{}") as { seq: number };
    await store.set(LOG, JSON.stringify({ ...log, seq: log.seq + 3, changes: [[log.seq + 3, "loc_9"]] }), { ttlMs: 60_000 });
    await a.look();
    await store.set(LOG, JSON.stringify({ epoch: "another", seq: 1, changes: [[1, "loc_1"]] }), { ttlMs: 60_000 });
    await a.look();
    await store.set(LOG, "not a log", { ttlMs: 60_000 });
    await a.look();
    expect(a.learnt).toStrictEqual([["loc_1"], "all", ["loc_2"], "all", "all", "all"]);
  });

  it("tries again when another process wrote the log meanwhile, and gives up after ten tries", async () => {
    const memory = createMemoryStore();
    let contended = 2;
    const store: FlatpeakStore = {
      ...memory,
      setIfEquals: async (key, expected, value, options) => (contended-- > 0 ? false : (memory.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>)(key, expected, value, options)),
    };
    const { changes } = processOn(store);
    await changes.record("loc_1");
    await changes.record("loc_2");
    expect(JSON.parse((await memory.get(LOG)) ?? "{}")).toMatchObject({ seq: 2, changes: [[1, "loc_1"], [2, "loc_2"]] });
    contended = Infinity;
    await expect(changes.record("loc_3")).rejects.toThrow("The fleet's log of price changes was written by other processes at each of 10 tries; the invalidation is not recorded.");
  });

  it("writes the invalidations that come while one is written together, and keeps the latest 512", async () => {
    const memory = createMemoryStore();
    let writes = 0;
    const store: FlatpeakStore = { ...memory, set: (key, value, options) => (writes++, memory.set(key, value, options)), setIfEquals: (...args) => (writes++, (memory.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>)(...args)) };
    const { changes } = processOn(store);
    await Promise.all(Array.from({ length: 600 }, (_, i) => changes.record(`loc_${i}`)));
    const log = JSON.parse((await memory.get(LOG)) ?? "{}") as { seq: number; changes: Array<[number, string]> };
    expect([log.seq, log.changes.length, log.changes[0], log.changes.at(-1), writes]).toStrictEqual([600, 512, [89, "loc_88"], [600, "loc_599"], 1]);
  });

  it("tells a process nothing at its first look, whatever the log holds, and what others record from then on", async () => {
    const store = createMemoryStore();
    const a = processOn(store);
    await a.changes.record("loc_1");
    const late = processOn(store);
    expect(await late.changes.look(late.waits.question())).toBe(true);
    await a.changes.record("loc_2");
    await late.look();
    expect(late.learnt).toStrictEqual([["loc_2"]]);
  });

  it("keeps both of two first records that meet, when no log was there yet", async () => {
    const store = createMemoryStore();
    const [a, b, reader] = [processOn(store), processOn(store), processOn(store)];
    await reader.changes.look(reader.waits.question());
    await Promise.all([a.changes.record("loc_a"), b.changes.record("loc_b")]);
    await reader.look();
    expect(reader.learnt.flat().sort()).toStrictEqual(["loc_a", "loc_b"]);
  });

  it.each([
    ["an epoch that is no text", { epoch: 1 }],
    ["a sequence that is no whole number", { seq: 1.5 }],
    ["changes that are no list", { changes: "loc_2" }],
    ["a change that is no pair", { changes: [[1, "loc_1"], "loc_2"] }],
    ["a change whose number is no whole number", { changes: [[1, "loc_1"], ["2", "loc_2"]] }],
    ["a change whose location is no text", { changes: [[1, "loc_1"], [2, 2]] }],
  ])("reads a log with %s as one that lost its changes, and writes a new one over it", async (_case, damage) => {
    const store = createMemoryStore();
    const [a, b] = [processOn(store), processOn(store)];
    await a.look();
    await b.changes.record("loc_1");
    await a.look();
    const log = JSON.parse((await store.get(LOG)) ?? "{}") as Record<string, unknown>;
    await store.set(LOG, JSON.stringify({ ...log, seq: 2, changes: [[1, "loc_1"], [2, "loc_2"]], ...damage }), { ttlMs: 60_000 });
    await a.look();
    expect(a.learnt).toStrictEqual([["loc_1"], "all"]);
    await b.changes.record("loc_3");
    const written = JSON.parse((await store.get(LOG)) ?? "{}") as { epoch: string; seq: number; changes: unknown };
    expect([written.epoch === log.epoch, written.seq, written.changes]).toStrictEqual([false, 1, [[1, "loc_3"]]]);
  });

  it("counts a view as confirmed for less than a second, reads again only for a later since, and waits for a read that began before it", async () => {
    vi.useFakeTimers({ toFake: ["performance", "setTimeout", "clearTimeout"] });
    try {
      const memory = createMemoryStore();
      let reads = 0;
      let stall: Promise<void> | undefined;
      const { changes, waits } = processOn({
        ...memory,
        get: async (key) => {
          reads++;
          await stall;
          return memory.get(key);
        },
      });
      expect(await changes.look(waits.question())).toBe(true);
      const readAt = performance.now();
      await vi.advanceTimersByTimeAsync(999);
      expect([await changes.look(waits.question(), readAt), reads]).toStrictEqual([true, 1]);
      await vi.advanceTimersByTimeAsync(1);
      expect([await changes.look(waits.question(), readAt), reads]).toStrictEqual([false, 1]);
      let release!: () => void;
      stall = new Promise((resolve) => (release = resolve));
      const first = changes.look(waits.question(), performance.now());
      await vi.advanceTimersByTimeAsync(10);
      const later = changes.look(waits.question(), performance.now());
      expect(reads).toBe(2);
      stall = undefined;
      release();
      expect([await first, await later, reads]).toStrictEqual([true, true, 3]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a record the store cannot take, and answers a look it cannot make from how old the view is", async () => {
    const store = faultyStore();
    const { changes, waits } = processOn(store);
    expect(await changes.look(waits.question())).toBe(true);
    store.failing.add("get");
    await expect(changes.record("loc_1")).rejects.toThrow("The store's get failed: store down");
    await pause(510);
    expect(await changes.look(waits.question())).toBe(true);
    await pause(500);
    expect(await changes.look(waits.question())).toBe(false);
  });
});
