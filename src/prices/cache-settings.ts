import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { shielded } from "../shared/shielded.js";
import { checkedStore } from "../store/store-checks.js";
import type { FlatpeakStore } from "../store/store.js";
import type { RefreshPlan } from "./refresh-plan.js";

/**
 * Options of `createPriceCache`.
 *
 * @example
 * const options: PriceCacheOptions = { store: createRedisStore(redis), graceMs: 20 * 60_000 };
 */
export interface PriceCacheOptions {
  /**
   * Where the fleet shares answers and invalidations (`createRedisStore(redis)`):
   * answers are kept in each process too, and each process looks at the
   * fleet's invalidations at most twice a second, so that an invalidation by
   * any process holds for all within a second. Without one, answers are kept
   * in this process.
   */
  store?: FlatpeakStore | undefined;
  /** How many answers (one per location and direction) this process keeps at most; the least recently used goes first. Default 1,000. */
  maxEntries?: number | undefined;
  /** The shortest time an answer is current, whatever its `next_update` says; default 60 000 ms. */
  minTtlMs?: number | undefined;
  /** The longest time an answer is current, and its time when it has no `next_update`; default 3 600 000 ms (an hour). */
  maxTtlMs?: number | undefined;
  /** How long after it stops being current (and after its refresh is due) an answer is still served, marked `stale`, while it is fetched again or when Flatpeak or the store fails; default 600 000 ms (10 minutes). */
  graceMs?: number | undefined;
  /** The time over which the refreshes of answers that share a `next_update` are spread, each location at a moment of its own; default 300 000 ms (5 minutes). */
  refreshSpreadMs?: number | undefined;
  /** The most refreshes this process starts in a second; more wait for a later question, served stale meanwhile. Default 10. */
  maxRefreshesPerSecond?: number | undefined;
  /** The longest all store calls of one question may take together; default 500 ms. After a failure the store is left alone for 5 s. */
  storeTimeoutMs?: number | undefined;
  /** Told when the store could not be read or written; questions are then answered from this process's answers or by a request. */
  onStoreError?: ((error: unknown) => void) | undefined;
  /** Told when a refresh in the background failed; the answer it was to replace goes on being served, marked `stale`, within `graceMs`. */
  onRefreshError?: ((error: unknown) => void) | undefined;
}

/**
 * The options of a price cache, checked, with their defaults.
 *
 * @example
 * const settings: CacheSettings = cacheSettings({ maxEntries: 500 });
 */
export interface CacheSettings extends RefreshPlan {
  store: FlatpeakStore | undefined;
  maxEntries: number;
  graceMs: number;
  maxRefreshesPerSecond: number;
  storeTimeoutMs: number;
  onStoreError: (error: unknown) => void;
  onRefreshError: (error: unknown) => void;
}

const HOUR_MS = 3_600_000;
const WHERE = "createPriceCache";
// Stryker disable BooleanLiteral: checkKeys reads which keys the table holds, never their values
const KEYS: EveryKey<PriceCacheOptions> = {
  store: true,
  maxEntries: true,
  minTtlMs: true,
  maxTtlMs: true,
  graceMs: true,
  refreshSpreadMs: true,
  maxRefreshesPerSecond: true,
  storeTimeoutMs: true,
  onStoreError: true,
  onRefreshError: true,
};
// Stryker restore BooleanLiteral

/**
 * Checks the options of a price cache and fills in the defaults; a
 * `TypeError` names a bad one.
 *
 * @example
 * const { graceMs } = cacheSettings({}); // 600000
 */
export function cacheSettings(options: PriceCacheOptions): CacheSettings {
  checkKeys(WHERE, options, KEYS);
  const store = options.store === undefined ? undefined : checkedStore(WHERE, options.store, ["get", "set", "setIfEquals", "deleteIfEquals"]);
  const minTtlMs = wholeNumberOption(WHERE, "minTtlMs", options.minTtlMs, 60_000, 1, MAX_TIMER_MS);
  const timer = (name: keyof PriceCacheOptions, fallback: number, min = 0) => wholeNumberOption(WHERE, name, options[name], fallback, min, MAX_TIMER_MS);
  return {
    store,
    maxEntries: wholeNumberOption(WHERE, "maxEntries", options.maxEntries, 1_000, 1),
    minTtlMs,
    maxTtlMs: timer("maxTtlMs", Math.max(HOUR_MS, minTtlMs), minTtlMs),
    graceMs: timer("graceMs", 10 * 60_000),
    refreshSpreadMs: timer("refreshSpreadMs", 5 * 60_000),
    maxRefreshesPerSecond: wholeNumberOption(WHERE, "maxRefreshesPerSecond", options.maxRefreshesPerSecond, 10, 1, 10_000),
    storeTimeoutMs: timer("storeTimeoutMs", 500, 1),
    onStoreError: shielded(options.onStoreError) ?? ignore,
    onRefreshError: shielded(options.onRefreshError) ?? ignore,
  };
}

function ignore(): void {}
