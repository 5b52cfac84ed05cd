import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { belongsIn, checkKeys, type EveryKey } from "../shared/known-keys.js";
import { definePlugin, type FlatpeakPlugin } from "../client/plugin.js";
import { concurrencyLimit } from "./concurrency.js";
import { deadline } from "./deadline.js";
import { rateLimitPause } from "./rate-limit-pause.js";

/**
 * Options of {@link callLimits}.
 *
 * @example
 * const options: CallLimitsOptions = { deadlineMs: 10_000, maxConcurrency: 16 };
 */
export interface CallLimitsOptions {
  /** Time allowed for each whole call — token wait, every attempt, every backoff and `Retry-After` wait — unless the call gives its own `deadlineMs`; default none. */
  deadlineMs?: number | undefined;
  /** The most calls of the client in flight at once; more wait in line, first come first served. Default: no limit. */
  maxConcurrency?: number | undefined;
}

const MAX_CONCURRENCY = 100_000;
// Stryker disable next-line BooleanLiteral: checkKeys reads which keys the table holds, never their values
const KEYS: EveryKey<CallLimitsOptions> = { deadlineMs: true, maxConcurrency: true };
const ELSEWHERE = { ...belongsIn("createFlatpeakClient", ["timeoutMs", "maxRetries"]), onEvent: "use: [callEvents({ onEvent })]" };

/**
 * Limits for a client that carries a backend's load, as a plugin for its
 * `use` option:
 * - a **deadline** for each whole call (`deadlineMs`, per client and per
 *   call): no wait is started that would pass it, and a call that runs out
 *   rejects with a `FlatpeakError` of kind `timeout` naming the deadline;
 * - a **concurrency cap** (`maxConcurrency`): calls beyond it wait in line,
 *   first come first served, each still abortable and bounded by its
 *   deadline;
 * - a **429 pause**: when Flatpeak answers 429 with `Retry-After`, no attempt
 *   of any call is sent until then (at most 60 s), instead of every call in
 *   flight running into the limit on its own.
 *
 * @example
 * import { createFlatpeakClient } from "flatpeak-client";
 * import { callLimits } from "flatpeak-client/limits";
 *
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callLimits({ deadlineMs: 10_000, maxConcurrency: 16 })] });
 * await flatpeak.POST("/prices/{id}", { params: { path: { id } }, body, deadlineMs: 2_000 });
 */
export function callLimits(options: CallLimitsOptions = {}): FlatpeakPlugin {
  checkKeys("callLimits", options, KEYS, ELSEWHERE);
  const deadlineMs = wholeNumberOption("callLimits", "deadlineMs", options.deadlineMs, undefined, 1, MAX_TIMER_MS);
  const maxConcurrency = wholeNumberOption("callLimits", "maxConcurrency", options.maxConcurrency, undefined, 1, MAX_CONCURRENCY);
  return definePlugin("callLimits", {
    deadline: deadline(deadlineMs),
    queue: maxConcurrency === undefined ? undefined : concurrencyLimit(maxConcurrency),
    pause: rateLimitPause(),
  });
}
