/**
 * The fleet's log of price invalidations: what one process records, others
 * learn (once, not their own), a log that was flushed or lost changes means
 * everything, writes that meet each other are tried again, and those that
 * come together are written together.
 */
import { describe, expect, it } from "vitest";
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
