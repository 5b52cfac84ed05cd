import type { FlatpeakStore } from "./store.js";

/**
 * An operation of the {@link FlatpeakStore} contract.
 *
 * @example
 * const needed: StoreOperation[] = ["get", "set", "setIfEquals", "deleteIfEquals"];
 */
export type StoreOperation = keyof FlatpeakStore;

/**
 * The argument checks every {@link FlatpeakStore} implementation of this
 * package makes, so they refuse the same things with the same `TypeError`:
 * an empty or non-string key, a value that is not a string, a `ttlMs` that
 * is not a whole number of 1 or more.
 *
 * @example
 * checkEntry("set", key, value);
 * checkEntry("setIfEquals", key, expected, value);
 * const ttlMs = checkedTtl(options);
 */
export function checkEntry(operation: StoreOperation, key: unknown, ...values: unknown[]): void {
  const where = `FlatpeakStore.${operation}`;
  if (typeof key !== "string" || key === "") throw new TypeError(`${where}: the key must be a non-empty string.`);
  for (const value of values) {
    if (typeof value !== "string") throw new TypeError(`${where}: the value must be a string (JSON.stringify objects first), got ${value === null ? "null" : typeof value}.`);
  }
}

/**
 * The `ttlMs` of `set`'s options, or a `TypeError` saying what it takes.
 *
 * @example
 * checkedTtl({ ttlMs: 60_000 }); // 60000
 * checkedTtl({ ttlMs: 0 }); // throws TypeError
 */
export function checkedTtl(options: unknown, operation: "set" | "setIfEquals" = "set"): number {
  const ttlMs = (options as { ttlMs?: unknown } | null)?.ttlMs;
  if (!Number.isInteger(ttlMs) || (ttlMs as number) < 1) {
    throw new TypeError(`FlatpeakStore.${operation}: options.ttlMs must be a whole number of milliseconds, 1 or more, got ${String(ttlMs)}.`);
  }
  return ttlMs as number;
}

/**
 * `store`, when it has every operation in `needs`; otherwise a `TypeError`
 * from `where` that lists them, names the missing ones and the stores that
 * have them all.
 *
 * @example
 * const store = checkedStore("createEventRouter", options.store, ["get", "set", "setIfEquals", "deleteIfEquals"]);
 */
export function checkedStore(where: string, store: unknown, needs: readonly StoreOperation[]): FlatpeakStore {
  const missing = needs.filter((operation) => typeof (store as Partial<Record<StoreOperation, unknown>> | null)?.[operation] !== "function");
  if (missing.length === 0) return store as FlatpeakStore;
  const listed = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
  const added = missing.length === 1 && listed === "setIfEquals" ? " (setIfEquals(key, expected, value, { ttlMs }), which writes only while the key holds expected, joined the contract in version 1.1)" : "";
  const which = store !== null && typeof store === "object" ? `; this one has no ${listed}${added}` : "";
  throw new TypeError(`${where}: store must be a FlatpeakStore (${needs.join(", ")}), such as createMemoryStore() or createRedisStore(redis)${which}.`);
}
