/**
 * The Redis store against a real redis-server started here, through each
 * client it takes: node-redis (the current major and version 4) and ioredis.
 */
import { Redis } from "ioredis";
import { createClient, RESP_TYPES } from "redis";
import { createClient as createClientV4 } from "redis-v4";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedisStore, type RedisClientLike } from "../../src/redis/index.js";
import { describeWithRedis, startRedis, type RunningRedis } from "../helpers/redis.js";
import { storeContract } from "./contract.js";

let redis: RunningRedis;
const clients: Array<{ quit(): Promise<unknown> }> = [];

async function nodeRedis() {
  const client = await createClient({ url: redis.url }).connect();
  clients.push(client);
  return client;
}

describeWithRedis("createRedisStore", () => {
  const connected: Record<string, RedisClientLike> = {};
  beforeAll(async () => {
    redis = await startRedis();
    connected["node-redis"] = await nodeRedis();
    const v4 = createClientV4({ url: redis.url });
    await v4.connect();
    clients.push(v4);
    connected["node-redis 4"] = v4;
    const io = new Redis(redis.url);
    clients.push(io);
    connected.ioredis = io;
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => undefined)));
    await redis.stop();
  });

  for (const name of ["node-redis", "node-redis 4", "ioredis"]) {
    describe(`through ${name}: the store contract`, () => {
      storeContract(() => createRedisStore(connected[name] as RedisClientLike));
    });
  }

  it("puts keyPrefix before every key it reads, writes and deletes", async () => {
    const raw = await nodeRedis();
    const store = createRedisStore(raw, { keyPrefix: "tenant-a:" });
    await store.set("claim", "mine", { ttlMs: 60_000 });
    expect([await raw.get("tenant-a:claim"), await raw.get("claim"), await store.get("claim")]).toEqual(["mine", null, "mine"]);
    expect(await store.deleteIfEquals("claim", "mine")).toBe(true);
    expect(await raw.exists("tenant-a:claim")).toBe(0);
  });

  it("sets the expiry in milliseconds on the server", async () => {
    const raw = await nodeRedis();
    await createRedisStore(raw).set("ttl-check", "x", { ttlMs: 45_000 });
    const ttl = await raw.pTTL("ttl-check");
    expect(ttl).toBeGreaterThan(44_000);
    expect(ttl).toBeLessThanOrEqual(45_000);
  });

  it("reads values from a client that maps replies to bytes", async () => {
    const raw = await nodeRedis();
    await raw.set("bytes-check", "zählerstand ⚡");
    const asBytes = raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    expect(await createRedisStore(asBytes).get("bytes-check")).toBe("zählerstand ⚡");
  });

  it("rejects with the command and the client's error, never the key or value", async () => {
    const raw = await nodeRedis();
    await raw.lPush("a-list", "item");
    const error = (await createRedisStore(raw)
      .get("a-list")
      .catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/^Redis GET failed: WRONGTYPE/);
    expect(error.message).not.toContain("a-list");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("rejects within timeoutMs when Redis does not answer, instead of waiting for a reconnect", async () => {
    const gone = await startRedis();
    const io = new Redis(gone.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 }).on("error", () => undefined);
    try {
      await io.ping();
      await gone.kill();
      const store = createRedisStore(io, { timeoutMs: 200 });
      const started = performance.now();
      const error = (await store.set("k", "v", { ttlMs: 1000 }).catch((caught: unknown) => caught)) as Error;
      expect(error.message).toBe("Redis did not answer SET within 200 ms; is it reachable?");
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      io.disconnect();
      await gone.stop();
    }
  });

  it("leaves no timer behind once a command is answered", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const answering = { call: async () => "OK" };
      expect(await createRedisStore(answering).set("k", "v", { ttlMs: 10 })).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  const NOT_OPEN = "the node-redis client is not open: await redis.connect() once, before the store is used (a client that was quit or closed cannot be reopened; create a new one)";

  it.each([
    ["node-redis", () => createClient({ url: redis.url })],
    ["node-redis 4", () => createClientV4({ url: redis.url })],
  ])("names a %s client that was never connected, and says to connect it", async (_name, make) => {
    const error = (await createRedisStore(make()).get("k").catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(`Redis GET failed: The client is closed; ${NOT_OPEN}`);
  });

  it("names a node-redis client that was quit, and an ioredis client that ended", async () => {
    const quit = await createClient({ url: redis.url }).connect();
    await quit.quit();
    expect(((await createRedisStore(quit).set("k", "v", { ttlMs: 1_000 }).catch((caught: unknown) => caught)) as Error).message).toMatch(new RegExp(`^Redis SET failed: .+; ${NOT_OPEN.replace(/[()]/g, "\\$&")}$`));
    const ended = new Redis(redis.url);
    await ended.quit();
    expect(((await createRedisStore(ended).get("k").catch((caught: unknown) => caught)) as Error).message).toBe("Redis GET failed: Connection is closed; the ioredis client has ended (quit() or disconnect()); create a new one");
  });

  it("adds no hint to the failure of an open client", async () => {
    const failing = { isOpen: true, sendCommand: () => Promise.reject(new Error("READONLY")) };
    expect(((await createRedisStore(failing).get("k").catch((caught: unknown) => caught)) as Error).message).toBe("Redis GET failed: READONLY");
    const stopped = { status: "ready", call: () => Promise.reject(new Error("LOADING.")) };
    expect(((await createRedisStore(stopped).get("k").catch((caught: unknown) => caught)) as Error).message).toBe("Redis GET failed: LOADING.");
  });

  it.each([
    ["nothing", undefined],
    ["an object without commands", { get: () => "x" }],
  ])("refuses %s with a TypeError that names the clients it takes", (_case, client) => {
    expect(() => createRedisStore(client as never)).toThrow(/createRedisStore: pass your Redis client: a node-redis client .* or an ioredis client/);
  });

  it.each([
    ["keyPrefix", { keyPrefix: 7 }, /^createRedisStore: keyPrefix must be a string such as "myapp:", got number\.$/],
    ["keyPrefix", { keyPrefix: null }, /^createRedisStore: keyPrefix must be a string such as "myapp:", got null\.$/],
    ["timeoutMs", { timeoutMs: 0 }, /createRedisStore: timeoutMs must be a whole number from 1 to 2147483647, got 0\./],
    ["timeoutMs", { timeoutMs: Number.NaN }, /got NaN/],
  ])("refuses a bad %s with a TypeError naming it", (_name, options, message) => {
    expect(() => createRedisStore(connected.ioredis as RedisClientLike, options as never)).toThrow(message);
  });
});
