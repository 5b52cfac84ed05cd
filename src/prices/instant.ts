/**
 * An instant given as a `Date`, an RFC 3339 string or epoch milliseconds,
 * in ms since the epoch; `undefined` stays `undefined`. A `TypeError` naming
 * `where` and `name` for anything else.
 *
 * @example
 * instantOf("cheapestWindow", "notAfter", "2026-12-03T07:00:00Z"); // 1796281200000
 */
export function instantOf(where: string, name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : typeof value === "string" || typeof value === "number" ? new Date(value).getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`${where}: ${name} must be a Date, an RFC 3339 string or epoch milliseconds, got ${describe(value)}.`);
  return time;
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : value === null ? "null" : value instanceof Date ? "an invalid Date" : typeof value;
}
