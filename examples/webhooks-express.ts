/**
 * Webhooks in Express: `express.raw()` keeps the exact bytes Flatpeak signed,
 * and `handler.node` verifies them, routes the event and answers.
 */
import { createMemoryStore } from "flatpeak-client";
import express from "express";
import type { AddressInfo } from "node:net";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
import { deliverTestEvents, signer } from "./webhook-delivery.js";

// One process: a memory store. Several: createRedisStore(redis) from flatpeak-client/redis (see webhooks-redis.ts).
const router = createEventRouter({ store: createMemoryStore() })
  .on("tariff.expired", (event) => console.log(`tariff ${event.data.tariff_id ?? "?"} of ${event.data.location_id} expired: ask the customer to reconnect`))
  .on("location.update", (event) => console.log(`location ${event.data.id} changed: fetch its prices again`))
  .onUnknown((event) => console.log(`event ${event.type} has no handler here`));

// In production: createWebhookVerifier() fetches Flatpeak's signing keys itself.
const verifier = createWebhookVerifier({ keys: signer.jwks });
const handler = createWebhookHandler({ verifier, router, onError: (error) => console.warn("webhook refused:", (error as Error).message) });

const app = express();
app.post("/webhooks/flatpeak", express.raw({ type: "application/json" }), handler.node);

const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/flatpeak`;
try {
  await deliverTestEvents((request) => fetch(request), url);
} finally {
  server.close();
}
