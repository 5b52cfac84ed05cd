import type { FlatpeakError } from "./errors.js";

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
const MAX_RETRY_AFTER_MS = 60_000;
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*, /;

/**
 * Whether requests of `method` may be sent again: the idempotent ones. POST
 * and PATCH never are, so nothing is submitted twice.
 *
 * @example
 * isRetryable("PUT"); // true
 */
export function isRetryable(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
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
  const retryAfter = parseRetryAfter(outcome.response.headers.get("retry-after"));
  if (retryAfter === undefined) return backoff(attempt);
  return retryAfter > MAX_RETRY_AFTER_MS ? undefined : retryAfter;
}

function backoff(attempt: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * (1 - Math.random() * 0.25));
}

/** `Retry-After` as milliseconds from now: whole seconds or an HTTP date; anything else is ignored. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = HTTP_DATE.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
