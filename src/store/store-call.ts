import { untilAborted } from "../shared/abort.js";
import type { StoreOperation } from "./store-checks.js";
import type { FlatpeakStore } from "./store.js";

type Operation<O extends StoreOperation> = NonNullable<FlatpeakStore[O]>;

/**
 * What an operation of the store contract resolves with.
 *
 * @example
 * const value: StoreAnswer<"get"> = await storeCall(store, "get", [key], 500);
 */
export type StoreAnswer<O extends StoreOperation> = Awaited<ReturnType<Operation<O>>>;

/**
 * One operation of an app's store, made safe to wait for: it rejects with an
 * `Error` naming the operation (the store's own error as `cause`, never a
 * key or value) when the store throws synchronously, rejects, answers what
 * the contract does not allow (`get` a string or nothing, the others a
 * boolean), takes longer than `timeoutMs`, or is still under way when
 * `signal` aborts. A `get` that answers `null` counts as nothing stored.
 *
 * @example
 * const claimed = await storeCall(store, "set", [key, claim, { ttlMs: leaseMs, onlyIfAbsent: true }], 500, deadline);
 */
export function storeCall<O extends StoreOperation>(store: FlatpeakStore, operation: O, args: Parameters<Operation<O>>, timeoutMs: number, signal?: AbortSignal): Promise<StoreAnswer<O>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The store did not answer ${operation} within ${timeoutMs} ms.`)), timeoutMs);
  });
  const answered = new Promise<unknown>((resolve) => resolve((store[operation] as (...given: unknown[]) => unknown)(...args))).then(
    (answer) => checkedAnswer(operation, answer),
    (cause: unknown) => {
      throw new Error(`The store's ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    },
  );
  const bounded = untilAborted(Promise.race([answered, late]), signal, () => new Error(`The store did not answer ${operation} before the caller's deadline.`));
  return bounded.finally(() => clearTimeout(timer)) as Promise<StoreAnswer<O>>;
}

function checkedAnswer(operation: StoreOperation, answer: unknown): unknown {
  if (operation === "get" ? answer === null || answer === undefined || typeof answer === "string" : typeof answer === "boolean") return answer ?? undefined;
  throw new Error(`The store's ${operation} answered ${answer === null ? "null" : typeof answer}, where the store contract has ${operation === "get" ? "a string or undefined" : "true or false"}.`);
}
