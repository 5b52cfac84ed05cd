/**
 * Child program of webhook-receivers.test.ts: one webhook receiver process
 * (Node's http server and handler.node) whose router claims events in a
 * shared Redis. Each handler run is counted in Redis, so the test sees runs
 * across processes. By the event's id, a handler fails in this process
 * (`fail_in_<NAME>`), never settles in it (`hang_in_<NAME>`), takes 300 ms
 * (`slow`) or N ms (`hold_<N>_` in every process, `hold<NAME>_<N>_` in this one). Prints `listening <port>` once it serves,
 * and `error <reason> <event id>` for each error told to `onError`.
 *
 * Environment: NAME, REDIS_URL, CLIENT (node-redis | ioredis), JWKS (the test
 * signer's key set, JSON), LEASE_MS.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createRedisStore, type RedisClientLike } from "../../src/redis/index.js";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "../../src/webhooks/index.js";

const name = process.env.NAME ?? "?";
const url = process.env.REDIS_URL ?? "";
const client: RedisClientLike & { incr?: unknown } = process.env.CLIENT === "ioredis" ? new Redis(url, { maxRetriesPerRequest: 1 }) : await createClient({ url }).on("error", () => undefined).connect();
const command = (args: string[]) => ("call" in client ? client.call(args[0] ?? "", ...args.slice(1)) : client.sendCommand(args));
if ("on" in client && typeof client.on === "function") client.on("error", () => undefined);

const router = createEventRouter({ store: createRedisStore(client), leaseMs: Number(process.env.LEASE_MS ?? 60_000) }).onUnknown(async (event) => {
  await command(["RPUSH", `test:started:${event.id}`, name]);
  if (event.id.includes(`hang_in_${name}`)) return new Promise<void>(() => undefined);
  if (event.id.includes("slow")) await new Promise((resolve) => setTimeout(resolve, 300));
  const hold = (new RegExp(`hold${name}_(\\d+)_`).exec(event.id) ?? /hold_(\d+)_/.exec(event.id))?.[1];
  if (hold !== undefined) await new Promise((resolve) => setTimeout(resolve, Number(hold)));
  if (event.id.includes(`fail_in_${name}`)) throw new Error(`handler failed in ${name}`);
  await command(["RPUSH", `test:handled:${event.id}`, name]);
});
const onError = (error: unknown) => {
  const { reason, message } = error as { reason?: string; message?: string };
  console.log(`error ${reason ?? "handler"} ${/evt_\w+/.exec(message ?? "")?.[0] ?? "-"}`);
};
const handler = createWebhookHandler({ verifier: createWebhookVerifier({ keys: JSON.parse(process.env.JWKS ?? "{}") as { keys: JsonWebKey[] } }), router, onError });
const server = createServer((req, res) => void handler.node(req, res));
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
