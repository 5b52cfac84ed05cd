/**
 * The longest `Retry-After` waited for; a longer one is returned at once.
 *
 * @example
 * const pauseMs = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
 */
export const MAX_RETRY_AFTER_MS = 60_000;
/** An HTTP date begins with its day's name and a comma (`Sun, 06 Nov 1994 …`, `Sunday, 06-Nov-94 …`). */
const HTTP_DATE = /^[A-Z][a-z]+, /;

/**
 * `Retry-After` as milliseconds from now: whole seconds or an HTTP date;
 * `undefined` when absent or anything else (negative, `0x10`, prose).
 *
 * @example
 * retryAfterMs(new Headers({ "retry-after": "2" })); // 2000
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const text = headers.get("retry-after")?.trim() ?? "";
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = HTTP_DATE.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
