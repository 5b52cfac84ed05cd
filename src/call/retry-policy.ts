import { RETRY_SAFE_OPERATIONS } from "../../generated/retry-safe.js";
import type { FlatpeakError } from "../errors/errors.js";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../http/retry-after.js";

/**
 * What one attempt ended with: a response whose body has been read, or a
 * failure without one.
 *
 * @example
 * const outcome: Outcome = { response: new Response(null, { status: 503 }) };
 */
export type Outcome = { response: Response } | { error: FlatpeakError };

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * Whether a request may be sent again: `retry` when the call says, else the
 * idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) and the POSTs the spec
 * marks `x-flatpeak-retry-safe` (those that only compute an answer; some
 * only with a query value, such as `POST /costs/instant` with
 * `non_persistent=true`). Other POSTs and PATCH never are, so nothing is
 * submitted twice.
 *
 * @example
 * mayRetry({ method: "POST", operation: "POST /prices/{id}" }, url); // true
 * mayRetry({ method: "POST", operation: "POST /customers" }, url); // false
 */
export function mayRetry(call: { method: string; operation: string; retry?: boolean | undefined }, url: string): boolean {
  if (call.retry !== undefined) return call.retry;
  if (IDEMPOTENT_METHODS.has(call.method)) return true;
  const safe = RETRY_SAFE_OPERATIONS[call.operation];
  if (safe === undefined || safe === true) return safe === true;
  const query = new URL(url).searchParams;
  return Object.entries(safe).every(([name, value]) => query.get(name) === value);
}

/**
 * How long to wait before attempt `attempt + 1`, or `undefined` when the
 * outcome is final: a network error or timeout, 408, 429 or a 5xx other than
 * 501 and 505 is retried after `Retry-After` (at most 60 s; longer is final)
 * or an exponential backoff with jitter (0.5 s, 1 s, 2 s … at most 8 s).
 *
 * @example
 * retryDelay({ response: new Response(null, { status: 503, headers: { "retry-after": "2" } }) }, 0); // 2000
 */
export function retryDelay(outcome: Outcome, attempt: number): number | undefined {
  if ("error" in outcome) return outcome.error.kind === "aborted" ? undefined : backoff(attempt);
  const { status } = outcome.response;
  // 501 and 505 will be the same next time.
  if (status !== 408 && status !== 429 && (status < 500 || status === 501 || status === 505)) return undefined;
  const retryAfter = retryAfterMs(outcome.response.headers);
  if (retryAfter === undefined) return backoff(attempt);
  return retryAfter > MAX_RETRY_AFTER_MS ? undefined : retryAfter;
}

function backoff(attempt: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * (1 - Math.random() * 0.25));
}
