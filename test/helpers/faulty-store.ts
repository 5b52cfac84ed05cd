/**
 * A memory store whose operations can be made to fail or to stall, for the
 * paths where an app's store (Redis, say) is down or slow.
 */
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";

type Operation = keyof FlatpeakStore;

export interface FaultyStore extends FlatpeakStore {
  /** The operations that reject from now on, with `Error("store down")`. */
  failing: Set<Operation>;
  /** The operations that never settle from now on. */
  stalling: Set<Operation>;
  /** Every operation called, in order. */
  calls: Array<{ operation: Operation; key: string; value?: string }>;
}

export function faultyStore(base: FlatpeakStore = createMemoryStore()): FaultyStore {
  const failing = new Set<Operation>();
  const stalling = new Set<Operation>();
  const calls: FaultyStore["calls"] = [];
  const guarded =
    <A extends unknown[], R>(operation: Operation, run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push({ operation, key: args[0] as string, ...(operation === "get" ? {} : { value: args[1] as string }) });
      if (stalling.has(operation)) return new Promise<R>(() => undefined);
      if (failing.has(operation)) return Promise.reject(new Error("store down"));
      return run(...args);
    };
  return {
    failing,
    stalling,
    calls,
    get: guarded("get", (key: string) => base.get(key)),
    set: guarded("set", (key: string, value: string, options: { ttlMs: number; onlyIfAbsent?: boolean }) => base.set(key, value, options)),
    deleteIfEquals: guarded("deleteIfEquals", (key: string, value: string) => base.deleteIfEquals(key, value)),
  };
}
