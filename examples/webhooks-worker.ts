/**
 * Webhooks in a Cloudflare Worker. The verifier fetches the signing keys
 * (cached across requests while the isolate lives) and verifies with Web
 * Crypto. `npm run examples` runs this module under workerd, with
 * FLATPEAK_JWKS_URL pointing at a local key set; in production leave it out.
 */
import { createEventRouter, createWebhookHandler, createWebhookVerifier, type WebhookHandler } from "flatpeak-client/webhooks";

interface Env {
  FLATPEAK_JWKS_URL?: string;
}

const router = createEventRouter()
  .on("tariff.expired", (event) => console.log(`tariff of ${event.data.location_id} expired`))
  .on("location.update", (event) => console.log(`location ${event.data.id} changed`));

let handler: WebhookHandler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handler ??= createWebhookHandler({ verifier: createWebhookVerifier({ jwksUrl: env.FLATPEAK_JWKS_URL }), router });
    return new URL(request.url).pathname === "/webhooks/flatpeak" ? handler(request) : Promise.resolve(new Response("not found", { status: 404 }));
  },
};
