/**
 * Webhooks in Hono: pass the raw request (`c.req.raw`) to the handler, which
 * reads the exact bytes itself. Runs the same on Node, Bun, Deno and workers.
 */
import { Hono } from "hono";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
import { deliverTestEvents, signer } from "./webhook-delivery.js";

const router = createEventRouter()
  .on("tariff.expired", (event) => console.log(`tariff of ${event.data.location_id} expired`))
  .on("location.update", (event) => console.log(`location ${event.data.id} changed`));

// In production: createWebhookVerifier() fetches Flatpeak's signing keys itself.
const handler = createWebhookHandler({ verifier: createWebhookVerifier({ keys: signer.jwks }), router });

const app = new Hono();
app.post("/webhooks/flatpeak", (c) => handler(c.req.raw));

// Try it: app.fetch is what any runtime calls.
await deliverTestEvents((request) => Promise.resolve(app.fetch(request)));
