/**
 * Child program of token-fleet.test.ts: one worker of a fleet. It makes
 * CALLS calls, INTERVAL_MS apart, through a client whose tokens are shared
 * in Redis (tokenStore); prints `ready` after the first, then a JSON summary:
 * calls answered, and the token events it saw (logins, tokens shared, store
 * failures).
 *
 * Environment: REDIS_URL, API_URL, CALLS, INTERVAL_MS.
 */
import { createClient } from "redis";
import { callEvents } from "../../src/events/index.js";
import { tokenStore } from "../../src/fleet/index.js";
import { createFlatpeakClient } from "../../src/index.js";
import { createRedisStore } from "../../src/redis/index.js";

const redis = createClient({ url: process.env.REDIS_URL ?? "", socket: { reconnectStrategy: 50 } }).on("error", () => undefined);
// Not awaited: commands wait for the connection, and the store bounds each of them.
redis.connect().catch(() => undefined);
const seen = { login: 0, token_shared: 0, token_store_failed: 0 };
const flatpeak = createFlatpeakClient({
  accountId: "acc_fleet",
  apiKey: "sk_test_fleet",
  baseUrl: process.env.API_URL,
  use: [
    tokenStore(createRedisStore(redis, { timeoutMs: 300 }), { waitMs: 300 }),
    callEvents({
      onEvent: (event) => {
        if (event.type in seen) seen[event.type as keyof typeof seen]++;
      },
    }),
  ],
});

let answered = 0;
const calls = Number(process.env.CALLS ?? 200);
const intervalMs = Number(process.env.INTERVAL_MS ?? 0);
for (let i = 0; i < calls; i++) {
  const { response } = await flatpeak.GET("/customers");
  if (response.status === 200) answered++;
  if (i === 0) console.log("ready");
  if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
console.log(JSON.stringify({ calls, answered, ...seen }));
process.exit(0);
