/**
 * When answers are current and refreshed: the spread of each key (the same
 * in every process), the timing of an answer from its next_update within
 * minTtlMs … maxTtlMs, and the budget of refreshes per second, on fake clocks.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { refreshBudget, spreadOf, timingOf, type RefreshPlan } from "../../src/prices/refresh-plan.js";

afterEach(() => {
  vi.useRealTimers();
});

const NOW = Date.parse("2026-12-02T10:20:00Z");
const plan: RefreshPlan = { minTtlMs: 60_000, maxTtlMs: 3_600_000, refreshSpreadMs: 300_000 };

describe("spreadOf", () => {
  it("gives each text a fraction of its own in [0, 1), the same every time, spread evenly", () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `flatpeak:prices:loc_${i}:IMPORT`);
    const fractions = keys.map(spreadOf);
    expect(fractions.every((fraction) => fraction >= 0 && fraction < 1)).toBe(true);
    expect(keys.map(spreadOf)).toEqual(fractions);
    const tenths = fractions.reduce<number[]>((counts, fraction) => { const tenth = Math.floor(fraction * 10); counts[tenth] = (counts[tenth] ?? 0) + 1; return counts; }, Array(10).fill(0));
    expect(Math.min(...tenths)).toBeGreaterThan(150);
    expect(Math.max(...tenths)).toBeLessThan(250);
    expect(spreadOf("")).toBe(0x811c9dc5 / 2 ** 32);
    expect(spreadOf("a")).not.toBe(spreadOf("b"));
  });
});

describe("timingOf", () => {
  it.each([
    ["a next_update within the clamp: current until then, refreshed after it by the key's delay", NOW + 40 * 60_000, 40 * 60_000, 40 * 60_000],
    ["a next_update exactly minTtlMs away", NOW + 60_000, 60_000, 60_000],
    ["a next_update exactly maxTtlMs away", NOW + 3_600_000, 3_600_000, 3_600_000],
  ])("times %s", (_case, nextUpdate, freshMs, refreshFromMs) => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const delayMs = Math.floor(spreadOf("key") * plan.refreshSpreadMs);
    expect(timingOf(plan, "key", nextUpdate)).toEqual({ freshUntil: NOW + freshMs, refreshAt: NOW + refreshFromMs + delayMs });
  });

  it.each([
    ["no next_update: maxTtlMs", undefined, 3_600_000],
    ["a next_update past: minTtlMs", NOW - 1, 60_000],
    ["a next_update sooner than minTtlMs", NOW + 59_999, 60_000],
    ["a next_update further than maxTtlMs", NOW + 3_600_001, 3_600_000],
  ])("keeps an answer with %s, refreshed up to the spread before it ends, never before now", (_case, nextUpdate, keptMs) => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    const delayMs = Math.floor(spreadOf("key") * plan.refreshSpreadMs);
    expect(timingOf(plan, "key", nextUpdate)).toEqual({ freshUntil: NOW + keptMs, refreshAt: NOW + Math.max(0, keptMs - delayMs) });
  });

  it("refreshes at the next_update itself without a spread", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    expect(timingOf({ ...plan, refreshSpreadMs: 0 }, "key", NOW + 600_000)).toEqual({ freshUntil: NOW + 600_000, refreshAt: NOW + 600_000 });
    expect(timingOf({ ...plan, refreshSpreadMs: 0 }, "key", undefined)).toEqual({ freshUntil: NOW + 3_600_000, refreshAt: NOW + 3_600_000 });
  });
});

describe("refreshBudget", () => {
  it("allows perSecond refreshes at once, then one more per 1/perSecond of a second", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const mayRefresh = refreshBudget(4);
    expect(Array.from({ length: 6 }, mayRefresh)).toEqual([true, true, true, true, false, false]);
    vi.advanceTimersByTime(249);
    expect(mayRefresh()).toBe(false);
    vi.advanceTimersByTime(1);
    expect([mayRefresh(), mayRefresh()]).toEqual([true, false]);
    vi.advanceTimersByTime(10_000);
    expect(Array.from({ length: 5 }, mayRefresh)).toEqual([true, true, true, true, false]);
  });
});
