/**
 * The argument checks every {@link FlatpeakStore} implementation of this
 * package makes, so they refuse the same things with the same `TypeError`:
 * an empty or non-string key, a value that is not a string, a `ttlMs` that
 * is not a whole number of 1 or more.
 *
 * @example
 * checkEntry("set", key, value);
 * const ttlMs = checkedTtl(options);
 */
export function checkEntry(operation: "get" | "set" | "deleteIfEquals", key: unknown, ...value: [] | [unknown]): void {
  const where = `FlatpeakStore.${operation}`;
  if (typeof key !== "string" || key === "") throw new TypeError(`${where}: the key must be a non-empty string.`);
  if (value.length === 1 && typeof value[0] !== "string") {
    throw new TypeError(`${where}: the value must be a string (JSON.stringify objects first), got ${value[0] === null ? "null" : typeof value[0]}.`);
  }
}

/**
 * The `ttlMs` of `set`'s options, or a `TypeError` saying what it takes.
 *
 * @example
 * checkedTtl({ ttlMs: 60_000 }); // 60000
 * checkedTtl({ ttlMs: 0 }); // throws TypeError
 */
export function checkedTtl(options: unknown): number {
  const ttlMs = (options as { ttlMs?: unknown } | null)?.ttlMs;
  if (!Number.isInteger(ttlMs) || (ttlMs as number) < 1) {
    throw new TypeError(`FlatpeakStore.set: options.ttlMs must be a whole number of milliseconds, 1 or more, got ${String(ttlMs)}.`);
  }
  return ttlMs as number;
}
