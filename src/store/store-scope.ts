import type { FlatpeakStore } from "./store.js";

const PROCESS_LOCAL = Symbol.for("flatpeak-client.process-local-store");
const CLAIMS = Symbol.for("flatpeak-client.claims-store");

/**
 * `store`, marked as serving this process only (such as the memory store),
 * so that a part that needs state shared between processes can tell it from
 * one that is shared.
 *
 * @example
 * return processLocal({ get, set, setIfEquals, deleteIfEquals });
 */
export function processLocal<T extends FlatpeakStore>(store: T): T {
  return Object.defineProperty(store, PROCESS_LOCAL, { value: true });
}

/**
 * Whether `store` is shared by the processes that use it: any store not
 * marked {@link processLocal}, from this copy of the package or another.
 *
 * @example
 * isShared(createMemoryStore()); // false
 * isShared(createRedisStore(redis)); // true
 */
export function isShared(store: FlatpeakStore): boolean {
  return (store as { [PROCESS_LOCAL]?: unknown })[PROCESS_LOCAL] !== true;
}

/**
 * Records on `holder` (an event router) the store its claims are in.
 *
 * @example
 * withClaimsStore(router, options.store);
 */
export function withClaimsStore<T extends object>(holder: T, store: FlatpeakStore | undefined): T {
  return Object.defineProperty(holder, CLAIMS, { value: store });
}

/**
 * The store an event router claims its events in; `undefined` without one.
 *
 * @example
 * const claims = claimsStoreOf(router);
 */
export function claimsStoreOf(holder: unknown): FlatpeakStore | undefined {
  return (holder as { [CLAIMS]?: FlatpeakStore } | null)?.[CLAIMS];
}
