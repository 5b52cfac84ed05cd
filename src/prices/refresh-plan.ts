import type { EntryTiming } from "./price-entry.js";

/**
 * How answers are timed: kept at least `minTtlMs` and at most `maxTtlMs`,
 * and fetched again spread over `refreshSpreadMs`.
 *
 * @example
 * const plan: RefreshPlan = { minTtlMs: 60_000, maxTtlMs: 3_600_000, refreshSpreadMs: 300_000 };
 */
export interface RefreshPlan {
  minTtlMs: number;
  maxTtlMs: number;
  refreshSpreadMs: number;
}

/**
 * A fraction in [0, 1) that a text always gets, in every process (FNV-1a,
 * 32 bits), to spread the refreshes of many locations evenly.
 *
 * @example
 * spreadOf("flatpeak:prices:loc_1:IMPORT"); // 0.73…, the same everywhere
 */
export function spreadOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
}

/**
 * The timing of an answer received now for `key`: current until its
 * `next_update` when that is `minTtlMs` … `maxTtlMs` away, and fetched
 * again after it, by a delay of this key's own within `refreshSpreadMs` (the
 * prices published for a whole market at once are not all fetched at that
 * moment); otherwise current for that clamp, and fetched again up to
 * `refreshSpreadMs` before it ends, never before now.
 *
 * @example
 * const { freshUntil, refreshAt } = timingOf(plan, key, Date.parse(price.next_update));
 */
export function timingOf(plan: RefreshPlan, key: string, nextUpdate: number | undefined): EntryTiming {
  const now = Date.now();
  const delayMs = Math.floor(spreadOf(key) * plan.refreshSpreadMs);
  const untilNext = nextUpdate === undefined ? Infinity : nextUpdate - now;
  if (untilNext >= plan.minTtlMs && untilNext <= plan.maxTtlMs) return { freshUntil: now + untilNext, refreshAt: now + untilNext + delayMs };
  const keptMs = Math.min(plan.maxTtlMs, Math.max(plan.minTtlMs, untilNext));
  return { freshUntil: now + keptMs, refreshAt: now + Math.max(0, keptMs - delayMs) };
}

/**
 * A budget of `perSecond` refreshes for each second (a token bucket of that
 * size): true when one may start now.
 *
 * @example
 * const mayRefresh = refreshBudget(10);
 * if (mayRefresh()) void refresh(question);
 */
export function refreshBudget(perSecond: number): () => boolean {
  let tokens = perSecond;
  let filledAt = performance.now();
  return () => {
    const now = performance.now();
    tokens = Math.min(perSecond, tokens + ((now - filledAt) / 1000) * perSecond);
    filledAt = now;
    if (tokens < 1) return false;
    tokens--;
    return true;
  };
}
