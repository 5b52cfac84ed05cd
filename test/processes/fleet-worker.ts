/**
 * Child program of token-fleet.test.ts: one worker of a fleet. It makes
 * calls INTERVAL_MS apart — CALLS of them, or until the file STOP_FILE
 * exists — through a client whose tokens are shared in Redis (tokenStore);
 * prints `ready` after the first, then a JSON summary: calls answered, and
 * the token events it saw (logins, tokens shared, store failures). Every
 * request carries its API key in `x-worker-key`, so that the test's API can
 * tell a token used with another key than the one it was issued to.
 *
 * Environment: REDIS_URL, API_URL, API_KEY (default sk_test_fleet), CALLS or
 * STOP_FILE, INTERVAL_MS, WAIT_MS and LOCK_MS (tokenStore's; default 300 and
 * 10 000), STALL_STORE (1: no store operation ever answers, as a Redis that
 * hangs for this process only).
 */
import { existsSync } from "node:fs";
import { createClient } from "redis";
import { callEvents } from "../../src/events/index.js";
import { tokenStore } from "../../src/fleet/index.js";
import { createFlatpeakClient } from "../../src/index.js";
import { createRedisStore } from "../../src/redis/index.js";
import type { FlatpeakStore } from "../../src/store/index.js";

const redis = createClient({ url: process.env.REDIS_URL ?? "", socket: { reconnectStrategy: 50 } }).on("error", () => undefined);
// Not awaited: commands wait for the connection, and the store bounds each of them.
redis.connect().catch(() => undefined);
const stalled = new Promise<never>(() => undefined);
const store: FlatpeakStore = process.env.STALL_STORE === "1" ? { get: () => stalled, set: () => stalled, deleteIfEquals: () => stalled } : createRedisStore(redis, { timeoutMs: 300 });
const seen = { login: 0, token_shared: 0, token_store_failed: 0 };
const apiKey = process.env.API_KEY ?? "sk_test_fleet";
const flatpeak = createFlatpeakClient({
  accountId: "acc_fleet",
  apiKey,
  baseUrl: process.env.API_URL,
  headers: { "x-worker-key": apiKey },
  use: [
    tokenStore(store, { waitMs: Number(process.env.WAIT_MS ?? 300), lockMs: Number(process.env.LOCK_MS ?? 10_000) }),
    callEvents({
      onEvent: (event) => {
        if (event.type in seen) seen[event.type as keyof typeof seen]++;
      },
    }),
  ],
});

let answered = 0;
let calls = 0;
const limit = process.env.CALLS === undefined ? Infinity : Number(process.env.CALLS);
const stopFile = process.env.STOP_FILE;
const intervalMs = Number(process.env.INTERVAL_MS ?? 0);
while (calls < limit && !(stopFile !== undefined && existsSync(stopFile))) {
  const { response } = await flatpeak.GET("/customers");
  if (response.status === 200) answered++;
  if (++calls === 1) console.log("ready");
  if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
console.log(JSON.stringify({ calls, answered, ...seen }));
// A moment for what the store is still doing in the background (releasing a lock), as a process that goes on would.
await new Promise((resolve) => setTimeout(resolve, 200));
process.exit(0);
