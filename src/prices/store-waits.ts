import { storeCall, type StoreAnswer } from "../store/store-call.js";
import type { StoreOperation } from "../store/store-checks.js";
import type { FlatpeakStore } from "../store/store.js";

/**
 * What a store call answers when the store failed, was too slow, or was not
 * asked (it failed a moment ago).
 *
 * @example
 * if ((await waits.call("get", [key])) === STORE_FAILED) return undefined;
 */
export const STORE_FAILED: unique symbol = Symbol("store failed");

type Args<O extends StoreOperation> = Parameters<NonNullable<FlatpeakStore[O]>>;

/**
 * The store calls of one question: together they wait at most one
 * `timeoutMs`; once one failed, the others are not made.
 *
 * @example
 * const waits = storeWaits.question();
 * const text = await waits.call("get", [key]);
 */
export interface QuestionWaits {
  call<O extends StoreOperation>(operation: O, args: Args<O>): Promise<StoreAnswer<O> | typeof STORE_FAILED>;
}

/**
 * How the price cache waits for its store: per question (all its calls
 * together within one `timeoutMs`), or for work nobody waits for (writes,
 * within `timeoutMs` each). After a failure the store is not asked again
 * for `retryMs`, so that while it is down no question waits for it; each
 * failure is told to `onStoreError`.
 *
 * @example
 * const waits = storeWaits(store, { timeoutMs: 500, retryMs: 5_000, onStoreError: console.warn });
 */
export interface StoreWaits {
  question(): QuestionWaits;
  /** One call nobody waits for, bounded by `timeoutMs`; rejects with the store's failure (also told to `onStoreError`). */
  call<O extends StoreOperation>(operation: O, args: Args<O>): Promise<StoreAnswer<O>>;
  /** True while the store failed within the last `retryMs`. */
  resting(): boolean;
}

/**
 * Creates the {@link StoreWaits} of a price cache over `store`.
 *
 * @example
 * const waits = storeWaits(store, { timeoutMs: 500, retryMs: 5_000, onStoreError: console.warn });
 */
export function storeWaits(store: FlatpeakStore, { timeoutMs, retryMs, onStoreError }: { timeoutMs: number; retryMs: number; onStoreError: (error: unknown) => void }): StoreWaits {
  let restUntil = -Infinity;
  const failed = (error: unknown): never => {
    restUntil = performance.now() + retryMs;
    onStoreError(error);
    throw error;
  };
  const call = <O extends StoreOperation>(operation: O, args: Args<O>, withinMs = timeoutMs): Promise<StoreAnswer<O>> => storeCall(store, operation, args, withinMs).catch(failed);
  return {
    call: (operation, args) => call(operation, args),
    resting: () => performance.now() < restUntil,
    question() {
      let leftMs = timeoutMs;
      let failing = false;
      return {
        async call<O extends StoreOperation>(operation: O, args: Args<O>): Promise<StoreAnswer<O> | typeof STORE_FAILED> {
          if (failing || leftMs < 1 || performance.now() < restUntil) return STORE_FAILED;
          const startedAt = performance.now();
          try {
            return await call(operation, args, Math.ceil(leftMs));
          } catch {
            failing = true;
            return STORE_FAILED;
          } finally {
            leftMs -= performance.now() - startedAt;
          }
        },
      };
    },
  };
}
