/**
 * flatpeak-client/store: the store contract shared by webhook claims, the
 * fleet's login token and cached prices, and its in-memory implementation.
 * For many processes, `createRedisStore` of `flatpeak-client/redis`.
 *
 * @example
 * import { createMemoryStore } from "flatpeak-client/store";
 * const router = createEventRouter({ store: createMemoryStore() });
 */
export { createMemoryStore, type MemoryStoreOptions } from "./memory-store.js";
export type { FlatpeakStore, StoreSetOptions } from "./store.js";
