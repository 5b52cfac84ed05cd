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

  it("rejects at once when the client is closed", async () => {
    const closed = createClient({ url: redis.url });
    const error = (await createRedisStore(closed).get("k").catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/^Redis GET failed: /);
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
