import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { checkEntry, checkedTtl } from "../store/store-checks.js";
import type { FlatpeakStore } from "../store/store.js";

/**
 * A node-redis client (`createClient()` of the `redis` package, version 4 or
 * later), as far as the store uses it: commands as arrays of strings.
 *
 * @example
 * import { createClient } from "redis";
 * const redis: NodeRedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect();
 */
export interface NodeRedisClientLike {
  /** Sends one command, its name first: `["SET", key, value]`. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * An ioredis client (`new Redis()` of the `ioredis` package), as far as the
 * store uses it: a command name and its arguments.
 *
 * @example
 * import Redis from "ioredis";
 * const redis: IoRedisClientLike = new Redis(process.env.REDIS_URL);
 */
export interface IoRedisClientLike {
  /** Sends one command: `call("SET", key, value)`. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * Either Redis client an app already has; the store depends on neither.
 *
 * @example
 * const client: RedisClientLike = useIoredis ? new Redis() : await createClient().connect();
 */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * const options: RedisStoreOptions = { keyPrefix: "billing:", timeoutMs: 500 };
 */
export interface RedisStoreOptions {
  /** Put before every key, to share one Redis between apps or environments; default none. */
  keyPrefix?: string | undefined;
  /** Time one command may take before the operation rejects (a client that is reconnecting queues commands instead of failing them); default 1 000 ms. */
  timeoutMs?: number | undefined;
}

type Command = (args: string[]) => Promise<unknown>;

const KEYS: EveryKey<RedisStoreOptions> = { keyPrefix: true, timeoutMs: true };

/** Deletes KEYS[1] only while it holds ARGV[1]: one atomic step on the server. */
const DELETE_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
/** Sets KEYS[1] to ARGV[2] for ARGV[3] ms only while it holds ARGV[1]: one atomic step on the server. */
const SET_IF_EQUALS = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

/**
 * A {@link FlatpeakStore} on Redis, through the app's own client (node-redis
 * or ioredis; this package depends on neither), so that every process that
 * shares the Redis shares claims, tokens and cached answers. `set` is
 * `SET … PX … [NX]`, `setIfEquals` and `deleteIfEquals` one-line Lua scripts; every command is
 * bounded by `timeoutMs` and a failure rejects with an `Error` that names
 * the command (never a key or value), with the client's error as `cause`.
 *
 * @example
 * import { createClient } from "redis";
 * import { createRedisStore } from "flatpeak-client/redis";
 * import { createEventRouter } from "flatpeak-client/webhooks";
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const router = createEventRouter({ store: createRedisStore(redis) });
 */
export function createRedisStore(client: RedisClientLike, options: RedisStoreOptions = {}): FlatpeakStore {
  checkKeys("createRedisStore", options, KEYS);
  const send = commandOf(client);
  const closed = closedState(client);
  const prefix = keyPrefix(options.keyPrefix);
  const timeoutMs = wholeNumberOption("createRedisStore", "timeoutMs", options.timeoutMs, 1_000, 1, MAX_TIMER_MS);
  const run = (name: string, args: string[]) => bounded(() => send([name, ...args]), name, timeoutMs, closed);
  return {
    async get(key) {
      checkEntry("get", key);
      const value = await run("GET", [prefix + key]);
      return value === null ? undefined : text(value);
    },
    async set(key, value, setOptions) {
      checkEntry("set", key, value);
      const args = [prefix + key, value, "PX", String(checkedTtl(setOptions))];
      return (await run("SET", setOptions.onlyIfAbsent === true ? [...args, "NX"] : args)) !== null;
    },
    async setIfEquals(key, expected, value, setOptions) {
      checkEntry("setIfEquals", key, expected, value);
      const ttlMs = String(checkedTtl(setOptions, "setIfEquals"));
      return Number(await run("EVAL", [SET_IF_EQUALS, "1", prefix + key, expected, value, ttlMs])) === 1;
    },
    async deleteIfEquals(key, value) {
      checkEntry("deleteIfEquals", key, value);
      return Number(await run("EVAL", [DELETE_IF_EQUALS, "1", prefix + key, value])) === 1;
    },
  };
}

function commandOf(client: unknown): Command {
  const { call, sendCommand } = (client ?? {}) as Partial<IoRedisClientLike & NodeRedisClientLike>;
  if (typeof call === "function") return (args) => call.apply(client, args as [string, ...string[]]);
  if (typeof sendCommand === "function") return (args) => sendCommand.call(client, args);
  throw new TypeError('createRedisStore: pass your Redis client: a node-redis client (createClient() from "redis", version 4 or later, connected) or an ioredis client (new Redis()).');
}

function keyPrefix(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value !== "string") throw new TypeError(`createRedisStore: keyPrefix must be a string such as "myapp:", got ${value === null ? "null" : typeof value}.`);
  return value;
}

/** A bulk reply as text: a string, or bytes from a client that maps replies to buffers. */
function text(reply: unknown): string {
  return typeof reply === "string" ? reply : new TextDecoder().decode(reply as Uint8Array);
}

/**
 * What to say when a command fails on a client that is not open: a
 * node-redis client before `connect()` or after `quit()`/`close()`, an
 * ioredis client after `quit()`/`disconnect()`.
 */
function closedState(client: unknown): () => string | undefined {
  const state = client as { isOpen?: unknown; status?: unknown };
  return () =>
    state.isOpen === false
      ? "the node-redis client is not open: await redis.connect() once, before the store is used (a client that was quit or closed cannot be reopened; create a new one)"
      : state.status === "end"
        ? "the ioredis client has ended (quit() or disconnect()); create a new one"
        : undefined;
}

/** Settles like the command, or rejects once `timeoutMs` passed without an answer; a failure on a closed client says so. */
function bounded(start: () => Promise<unknown>, command: string, timeoutMs: number, closed: () => string | undefined): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${command} within ${timeoutMs} ms; is it reachable?`)), timeoutMs);
  });
  const failed = (cause: unknown) => {
    const [said, hint] = [cause instanceof Error ? cause.message : String(cause), closed()];
    throw new Error(`Redis ${command} failed: ${hint ? `${said.replace(/\.$/, "")}; ${hint}` : said}`, { cause });
  };
  return Promise.race([new Promise((resolve) => resolve(start())).catch(failed), timedOut]).finally(() => clearTimeout(timer));
}
