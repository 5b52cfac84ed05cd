/**
 * A numeric option checked like the client's own: `fallback` when it is
 * left out, the value when it is a whole number from `min` to `max`, and
 * otherwise a `TypeError` that names where, the option and what it takes
 * (`NaN`, fractions, negatives and numbers as strings are all refused).
 *
 * @example
 * const maxEntries = wholeNumberOption("createMemoryStore", "maxEntries", options.maxEntries, 10_000, 1);
 * wholeNumberOption("createMemoryStore", "maxEntries", 0, 10_000, 1); // throws TypeError
 */
export function wholeNumberOption(where: string, name: string, value: unknown, fallback: number, min: number, max: number = Number.POSITIVE_INFINITY): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    const range = max === Number.POSITIVE_INFINITY ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new TypeError(`${where}: ${name} must be a whole number ${range}, got ${typeof value === "string" ? `the text ${JSON.stringify(value.slice(0, 20))}` : String(value)}.`);
  }
  return value as number;
}
