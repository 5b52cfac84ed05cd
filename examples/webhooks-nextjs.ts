/**
 * Webhooks in a Next.js route handler (app/api/flatpeak/route.ts): the
 * handler is a standard `(request: Request) => Promise<Response>`, so it is
 * the route's POST export as it is; it reads the raw body itself.
 */
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
import { deliverTestEvents, signer } from "./webhook-delivery.js";

const router = createEventRouter()
  .on("tariff.expired", (event) => console.log(`tariff of ${event.data.location_id} expired`))
  .on("location.update", (event) => console.log(`location ${event.data.id} changed`));

// In production: createWebhookVerifier() fetches Flatpeak's signing keys itself.
export const POST = createWebhookHandler({ verifier: createWebhookVerifier({ keys: signer.jwks }), router });

// Try it: Next.js would call POST for each request to the route.
await deliverTestEvents(POST);
