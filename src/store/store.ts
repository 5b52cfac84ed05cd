/**
 * How long a value stays, and whether it may replace one that is there.
 *
 * @example
 * const lock: StoreSetOptions = { ttlMs: 30_000, onlyIfAbsent: true };
 */
export interface StoreSetOptions {
  /** Milliseconds until the value expires: a whole number of 1 or more. */
  ttlMs: number;
  /** Write only when the key holds no value (a lock, a claim); default false. */
  onlyIfAbsent?: boolean | undefined;
}

/**
 * The one store contract of this package: a key-value store with expiry,
 * shared by every place that keeps state between deliveries, calls or
 * processes — webhook claims, the shared login token, cached prices. Four
 * operations, each atomic, so that a store shared by many processes (such as
 * Redis) gives every one of them the same answer:
 *
 * - `get`: the value, or `undefined` when there is none or it expired;
 * - `set`: writes a value with a time to live; with `onlyIfAbsent`, only when
 *   the key is free, resolving whether it wrote (a lock, a claim);
 * - `setIfEquals`: writes a value with a time to live only while the key
 *   still holds the value the caller expects (a claim renewed, or marked
 *   done, only by the process that holds it);
 * - `deleteIfEquals`: deletes the key only while it still holds the value
 *   the caller wrote, so a process never removes what another one wrote
 *   after its own value expired.
 *
 * A store that fails rejects; the caller decides what a failure means (a
 * webhook delivery answered 503, a call that logs in by itself).
 * Implementations: `createMemoryStore()` (`flatpeak-client/store`) for one
 * process, `createRedisStore(redis)` (`flatpeak-client/redis`) for many.
 * `setIfEquals` came with version 1.1: the event router refuses a store
 * without it, while the shared login token needs only the other three.
 *
 * @example
 * const store: FlatpeakStore = createMemoryStore();
 * if (await store.set("job:42", "worker-a", { ttlMs: 60_000, onlyIfAbsent: true })) {
 *   try {
 *     await runJob(42, () => store.setIfEquals?.("job:42", "worker-a", "worker-a", { ttlMs: 60_000 }));
 *   } finally {
 *     await store.deleteIfEquals("job:42", "worker-a");
 *   }
 * }
 */
export interface FlatpeakStore {
  /** The value at `key`, or `undefined` when there is none or it has expired. */
  get(key: string): Promise<string | undefined>;
  /** Writes `value` at `key` for `options.ttlMs`; resolves false when `onlyIfAbsent` found the key taken, else true. */
  set(key: string, value: string, options: StoreSetOptions): Promise<boolean>;
  /** Writes `value` at `key` for `options.ttlMs` only while `key` still holds `expected`; resolves whether it wrote. */
  setIfEquals?(key: string, expected: string, value: string, options: { ttlMs: number }): Promise<boolean>;
  /** Deletes `key` if it still holds `value`; resolves whether it deleted. */
  deleteIfEquals(key: string, value: string): Promise<boolean>;
}
