/**
 * Webhook receivers in two processes that share one Redis, as a backend with
 * several instances runs them. The router claims each event in Redis before
 * its handlers run, so a delivery that reaches both processes at once is
 * handled by one of them (the other answers 503, and Flatpeak delivers again
 * later), a handler that failed in one process runs again when the
 * redelivery reaches the other, and nothing is handled twice.
 *
 * Needs a Redis: REDIS_URL (`npm run examples` starts one).
 */
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { createRedisStore } from "flatpeak-client/redis";
import { createTestEvent } from "flatpeak-client/testing";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

if (process.env.RECEIVER !== undefined) await serveDeliveries(process.env.RECEIVER);
else await sendDeliveries();

/** One receiver process: the handler of every app instance, with the same Redis store. */
async function serveDeliveries(name: string): Promise<void> {
  // Listen for "error": a client that loses its connection reconnects instead of crashing the process.
  const redis = await createClient({ url: REDIS_URL }).on("error", (error: Error) => console.warn(`${name}: redis ${error.message}`)).connect();
  let failedOnce = false;
  const router = createEventRouter({ store: createRedisStore(redis) })
    .on("tariff.expired", async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 200)); // a handler that takes a moment, e.g. a database write
      await redis.incr(`example:handled:${event.id}`);
      console.log(`${name}: handled ${event.id}`);
    })
    .on("location.update", async (event) => {
      if (name === "A" && !failedOnce) {
        failedOnce = true;
        throw new Error("the database is down in A");
      }
      await redis.incr(`example:handled:${event.id}`);
      console.log(`${name}: handled ${event.id}`);
    });
  const verifier = createWebhookVerifier({ keys: JSON.parse(process.env.TEST_JWKS ?? "{}") as { keys: JsonWebKey[] } }); // in production: createWebhookVerifier()
  const handler = createWebhookHandler({ verifier, router, onError: (error) => console.log(`${name}: not handled: ${(error as Error).message}`) });
  const server = createServer((req, res) => void handler.node(req, res));
  server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on("disconnect", () => {
    server.close();
    void redis.quit();
  });
}

/** The test sender: starts two receivers and delivers to them the way Flatpeak's retries can. */
async function sendDeliveries(): Promise<void> {
  const { signer } = await import("./webhook-delivery.js");
  const jwks = JSON.stringify(signer.jwks);
  const [a, b] = await Promise.all([startReceiver("A", jwks), startReceiver("B", jwks)]);
  const redis = await createClient({ url: REDIS_URL }).connect();
  try {
    const deliver = async (url: string, event: object) => {
      const body = JSON.stringify(event);
      return (await fetch(url, { method: "POST", body, headers: await signer.sign(body) })).status;
    };

    const expired = createTestEvent("tariff.expired");
    const atOnce = await Promise.all([deliver(a.url, expired), deliver(b.url, expired)]);
    const redelivered = await deliver(b.url, expired);
    console.log(`the same delivery at once to A and B: ${atOnce.join(" and ")}; delivered again: ${redelivered}`);

    const updated = createTestEvent("location.update");
    const inA = await deliver(a.url, updated);
    const inB = await deliver(b.url, updated);
    console.log(`a handler that failed in A: ${inA}; the redelivery to B: ${inB}`);

    const counts = await Promise.all([expired.id, updated.id].map((id) => redis.get(`example:handled:${id}`)));
    if (atOnce.sort().join() !== "200,503" || redelivered !== 200 || inA !== 500 || inB !== 200 || counts.join() !== "1,1") {
      throw new Error(`expected each event handled exactly once, got ${JSON.stringify({ atOnce, redelivered, inA, inB, counts })}`);
    }
    console.log("each event was handled exactly once across both processes");
  } finally {
    for (const receiver of [a, b]) receiver.process.disconnect();
    await redis.quit();
  }
}

function startReceiver(name: string, jwks: string): Promise<{ url: string; process: ChildProcess }> {
  const child = fork(fileURLToPath(import.meta.url), { env: { ...process.env, RECEIVER: name, TEST_JWKS: jwks } });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (message) => resolve({ url: `http://127.0.0.1:${(message as { port: number }).port}/webhooks/flatpeak`, process: child }));
  });
}
