/**
 * flatpeak-client/fleet: what a fleet of processes shares so that it behaves
 * like one careful client — one login for all of them.
 *
 * @example
 * import { tokenStore } from "flatpeak-client/fleet";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [tokenStore(createRedisStore(redis))] });
 */
export { tokenStore, type TokenStoreOptions } from "./token-store.js";
