/**
 * A memory store whose operations can be made to fail in each way an app's
 * store (Redis, say) can: reject, throw instead of rejecting, never settle,
 * or answer what the store contract does not allow.
 */
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";

type Operation = keyof FlatpeakStore;

export interface FaultyStore extends Required<FlatpeakStore> {
  /** The operations that reject from now on, with `Error("store down")`. */
  failing: Set<Operation>;
  /** The operations that throw `Error("store broken")` from now on, instead of returning a promise. */
  throwing: Set<Operation>;
  /** The operations that never settle from now on. */
  stalling: Set<Operation>;
  /** The operations that resolve with what the contract does not allow from now on: `42` for `get`, `"OK"` for the others. */
  garbage: Set<Operation>;
  /** Every operation called, in order. */
  calls: Array<{ operation: Operation; key: string; value?: string }>;
}

/** The ways a store operation can fail, as the names of the sets of a {@link FaultyStore}. */
export const FAULTS = ["failing", "throwing", "stalling", "garbage"] as const;

export function faultyStore(base: FlatpeakStore = createMemoryStore()): FaultyStore {
  const [failing, throwing, stalling, garbage] = [new Set<Operation>(), new Set<Operation>(), new Set<Operation>(), new Set<Operation>()];
  const calls: FaultyStore["calls"] = [];
  const guarded =
    <A extends unknown[], R>(operation: Operation, run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push({ operation, key: args[0] as string, ...(operation === "get" ? {} : { value: args[operation === "setIfEquals" ? 2 : 1] as string }) });
      if (throwing.has(operation)) throw new Error("store broken");
      if (stalling.has(operation)) return new Promise<R>(() => undefined);
      if (failing.has(operation)) return Promise.reject(new Error("store down"));
      if (garbage.has(operation)) return Promise.resolve((operation === "get" ? 42 : "OK") as R);
      return run(...args);
    };
  return {
    failing,
    throwing,
    stalling,
    garbage,
    calls,
    get: guarded("get", (key: string) => base.get(key)),
    set: guarded("set", (key: string, value: string, options: { ttlMs: number; onlyIfAbsent?: boolean }) => base.set(key, value, options)),
    setIfEquals: guarded("setIfEquals", (key: string, expected: string, value: string, options: { ttlMs: number }) => (base.setIfEquals as NonNullable<FlatpeakStore["setIfEquals"]>).call(base, key, expected, value, options)),
    deleteIfEquals: guarded("deleteIfEquals", (key: string, value: string) => base.deleteIfEquals(key, value)),
  };
}
