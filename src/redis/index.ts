/**
 * flatpeak-client/redis: the store contract of `flatpeak-client/store` on
 * Redis, through the app's own node-redis or ioredis client.
 *
 * @example
 * import Redis from "ioredis";
 * import { createRedisStore } from "flatpeak-client/redis";
 * const store = createRedisStore(new Redis(process.env.REDIS_URL));
 */
export { createRedisStore, type IoRedisClientLike, type NodeRedisClientLike, type RedisClientLike, type RedisStoreOptions } from "./redis-store.js";
export type { FlatpeakStore, StoreSetOptions } from "../store/store.js";
