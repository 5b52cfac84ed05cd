/**
 * The longest delay a timer takes (2^31 − 1 ms, about 24.8 days): the most
 * any option in milliseconds that becomes a timer may be.
 *
 * @example
 * wholeNumberOption("createWebhookHandler", "deadlineMs", options.deadlineMs, 8_000, 1, MAX_TIMER_MS);
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A numeric option, checked the same way everywhere in the package:
 * `fallback` when it is left out (`undefined` for an option without a default), the value when it is a whole number from `min` to `max`, and
 * otherwise a `TypeError` that names where, the option and what it takes
 * (`NaN`, fractions, negatives and numbers as strings are all refused).
 *
 * @example
 * const maxEntries = wholeNumberOption("createMemoryStore", "maxEntries", options.maxEntries, 10_000, 1);
 * wholeNumberOption("createMemoryStore", "maxEntries", 0, 10_000, 1); // throws TypeError
 */
export function wholeNumberOption<F extends number | undefined>(where: string, name: string, value: unknown, fallback: F, min: number, max: number = Infinity): number | F {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    const range = max === Infinity ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new TypeError(`${where}: ${name} must be a whole number ${range}, got ${typeof value === "string" ? JSON.stringify(value.slice(0, 20)) : String(value)}.`);
  }
  return value as number;
}
