import { wholeNumberOption } from "../shared/number-option.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import type { FlatpeakStore, StoreSetOptions } from "./store.js";
import { checkEntry, checkedTtl } from "./store-checks.js";
import { processLocal } from "./store-scope.js";

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * const options: MemoryStoreOptions = { maxEntries: 50_000 };
 */
export interface MemoryStoreOptions {
  /** The most keys kept; past it the oldest write is dropped first. Default 10 000. */
  maxEntries?: number | undefined;
}

const KEYS: EveryKey<MemoryStoreOptions> = { maxEntries: true };

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * A {@link FlatpeakStore} in this process's memory, bounded by entries (past
 * `maxEntries` the oldest write is dropped first, so memory stays bounded)
 * and by time (a value is never returned after its `ttlMs`, on the
 * monotonic clock, and is dropped when next read). It serves one process; processes that must agree (several
 * webhook receivers, a fleet sharing one login) need a shared store such as
 * `createRedisStore`.
 *
 * @example
 * import { createMemoryStore } from "flatpeak-client/store";
 * import { createEventRouter } from "flatpeak-client/webhooks";
 *
 * const router = createEventRouter({ store: createMemoryStore({ maxEntries: 50_000 }) });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): FlatpeakStore {
  checkKeys("createMemoryStore", options, KEYS);
  const maxEntries = wholeNumberOption("createMemoryStore", "maxEntries", options.maxEntries, 10_000, 1);
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined || performance.now() < entry.expiresAt) return entry;
    entries.delete(key);
    return undefined;
  }

  function write(key: string, value: string, ttlMs: number): void {
    entries.delete(key);
    entries.set(key, { value, expiresAt: performance.now() + ttlMs });
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  }

  return processLocal({
    async get(key) {
      checkEntry("get", key);
      return live(key)?.value;
    },
    async set(key, value, setOptions: StoreSetOptions) {
      checkEntry("set", key, value);
      const ttlMs = checkedTtl(setOptions);
      if (setOptions.onlyIfAbsent === true && live(key) !== undefined) return false;
      write(key, value, ttlMs);
      return true;
    },
    async setIfEquals(key, expected, value, setOptions) {
      checkEntry("setIfEquals", key, expected, value);
      const ttlMs = checkedTtl(setOptions, "setIfEquals");
      if (live(key)?.value !== expected) return false;
      write(key, value, ttlMs);
      return true;
    },
    async deleteIfEquals(key, value) {
      checkEntry("deleteIfEquals", key, value);
      if (live(key)?.value !== value) return false;
      return entries.delete(key);
    },
  });
}
