/**
 * The answers a price cache keeps in its process: the least recently used
 * dropped past maxEntries, and a version counted up at each invalidation so
 * that a request that started before one can tell.
 */
import { describe, expect, it } from "vitest";
import { keptAnswers, type KeptAnswer } from "../../src/prices/kept-answers.js";

const answer = (lookedAt: number): KeptAnswer => ({ entry: { from: 0, to: 1, freshUntil: 1, refreshAt: 1, timezone: "UTC", currency: "GBP", lastUpdated: 0, nextUpdate: undefined, data: [] }, record: undefined, lookedAt });
const keysOf = (kept: ReturnType<typeof keptAnswers>, keys: string[]) => keys.filter((key) => kept.get(key) !== undefined);

describe("keptAnswers", () => {
  it("keeps at most maxEntries, dropping the least recently read or written", () => {
    const kept = keptAnswers(2);
    kept.set("a", "loc_a", answer(1));
    kept.set("b", "loc_b", answer(2));
    expect(kept.get("a")?.lookedAt).toBe(1);
    kept.set("c", "loc_c", answer(3));
    expect(kept.get("b")).toBeUndefined();
    kept.set("a", "loc_a", answer(4));
    kept.set("d", "loc_d", answer(5));
    expect([kept.get("c"), kept.get("a")?.lookedAt, kept.get("d")?.lookedAt]).toEqual([undefined, 4, 5]);
  });

  it("keeps exactly maxEntries", () => {
    const kept = keptAnswers(3);
    for (const key of ["a", "b", "c"]) kept.set(key, `loc_${key}`, answer(0));
    expect(keysOf(kept, ["a", "b", "c"])).toEqual(["a", "b", "c"]);
    kept.set("d", "loc_d", answer(0));
    expect(keysOf(kept, ["a", "b", "c", "d"])).toEqual(["b", "c", "d"]);
  });

  it("forgets every answer of the locations named, or all, counting a version up each time", () => {
    const kept = keptAnswers(10);
    kept.set("a:IMPORT", "loc_a", answer(0));
    kept.set("a:EXPORT", "loc_a", answer(0));
    kept.set("b:IMPORT", "loc_b", answer(0));
    expect(kept.version()).toBe(0);
    kept.forget(["loc_a"]);
    expect([kept.version(), keysOf(kept, ["a:IMPORT", "a:EXPORT", "b:IMPORT"])]).toEqual([1, ["b:IMPORT"]]);
    kept.forget([]);
    expect([kept.version(), keysOf(kept, ["b:IMPORT"])]).toEqual([2, ["b:IMPORT"]]);
    kept.forget("all");
    expect([kept.version(), keysOf(kept, ["b:IMPORT"])]).toEqual([3, []]);
  });

  it("tells whether a location was forgotten after a version, by name or by all", () => {
    const kept = keptAnswers(10);
    const start = kept.version();
    expect(kept.forgottenSince("loc_a", start)).toBe(false);
    kept.forget(["loc_a"]);
    const afterA = kept.version();
    expect([kept.forgottenSince("loc_a", start), kept.forgottenSince("loc_a", afterA), kept.forgottenSince("loc_b", start)]).toEqual([true, false, false]);
    kept.forget("all");
    expect([kept.forgottenSince("loc_b", afterA), kept.forgottenSince("loc_b", kept.version()), kept.forgottenSince("loc_a", kept.version())]).toEqual([true, false, false]);
  });
});
