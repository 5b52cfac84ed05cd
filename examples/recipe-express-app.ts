/**
 * Recipe: an Express backend with Connect and webhooks. `GET /connect`
 * starts a session and redirects the customer to Connect; `GET /flatpeak/done`
 * is the callback Connect sends them back to, which finishes the session and
 * saves the location; `POST /webhooks/flatpeak` verifies Flatpeak's
 * deliveries and, on `location.update` or a `tariff.*` event, makes the price
 * cache fetch that location again. The end of the file plays the customer
 * and Flatpeak, so the recipe runs by itself.
 */
import express from "express";
import type { AddressInfo } from "node:net";
import { completeConnect, createMemoryStore, createPriceCache, startConnect } from "flatpeak-client";
import { createTestEvent } from "flatpeak-client/testing";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
import { clientFromEnv } from "./support.js";
import { signer } from "./webhook-delivery.js";

const flatpeak = clientFromEnv();
const prices = createPriceCache(flatpeak);
/** Your database: the location saved for each of your customers. */
const locations = new Map<string, string>();

const router = createEventRouter({ store: createMemoryStore() }).on("connect_session.complete", (event) => console.log(`tariff connected for ${event.data.location_id}: prices can be fetched`));
prices.listenTo(router);
// In production: createWebhookVerifier() fetches Flatpeak's signing keys itself.
const webhooks = createWebhookHandler({ verifier: createWebhookVerifier({ keys: signer.jwks }), router, onError: (error) => console.warn("webhook refused:", (error as Error).message) });

const app = express();
app.get("/connect", async (request, response) => {
  const customer = String(request.query.customer ?? "");
  const launch = await startConnect(flatpeak, {
    connect_url: "https://connect.flatpeak.com",
    callback_url: `${request.protocol}://${request.get("host")}/flatpeak/done?customer=${encodeURIComponent(customer)}`,
    customer_reference_id: customer,
  });
  response.redirect(launch.launchUrl);
});
app.get("/flatpeak/done", async (request, response) => {
  const outcome = await completeConnect(flatpeak, new URL(request.originalUrl, `${request.protocol}://${request.get("host")}`));
  if (outcome.action === "SAVE") locations.set(String(request.query.customer), outcome.locationId);
  response.send(outcome.action === "SAVE" ? "Tariff connected." : "Nothing changed.");
});
app.post("/webhooks/flatpeak", express.raw({ type: "application/json" }), webhooks.node);

const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
try {
  // The customer clicks "Connect my tariff" and is sent to Connect.
  const started = await fetch(`${base}/connect?customer=CUS-0042`, { redirect: "manual" });
  const launchUrl = new URL(started.headers.get("location") ?? "");
  console.log(`redirected to ${launchUrl.origin}${launchUrl.pathname} with fp_cot ${launchUrl.searchParams.has("fp_cot") ? "set" : "missing"}`);
  // Connect sends the customer back to the callback with the same token.
  const done = await fetch(`${base}/flatpeak/done?customer=CUS-0042&fp_cot=${launchUrl.searchParams.get("fp_cot")}`);
  console.log(`callback answered "${await done.text()}"; saved location ${locations.get("CUS-0042")}`);
  // Flatpeak tells the backend, signed.
  for (const event of [createTestEvent("connect_session.complete"), createTestEvent("location.update")]) {
    const body = JSON.stringify(event);
    const delivered = await fetch(`${base}/webhooks/flatpeak`, { method: "POST", body, headers: await signer.sign(body) });
    if (delivered.status !== 200) throw new Error(`${event.type}: the endpoint answered ${delivered.status}`);
  }
  console.log("signed deliveries handled");
} finally {
  server.close();
}
