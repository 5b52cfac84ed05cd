// Bundled for the browser; reports the call's outcome, and a webhook
// verification's, on window.smokeResult.
import { createFlatpeakClient } from "flatpeak-client";
import { createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";
import { createWebhookVerifier } from "flatpeak-client/webhooks";

async function verifyDelivery() {
  const signer = await createTestWebhookSigner();
  const body = JSON.stringify(createTestEvent("location.update"));
  const event = await createWebhookVerifier({ keys: signer.jwks }).verify(body, await signer.sign(body));
  return event.type;
}

const baseUrl = new URL(location.href).searchParams.get("api") ?? undefined;
const flatpeak = createFlatpeakClient({ token: "browser-token", baseUrl });
Promise.all([flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }), verifyDelivery()]).then(
  ([{ data, response }, webhook]) => (window.smokeResult = { id: data?.id, status: response.status, webhook }),
  (error) => (window.smokeResult = { error: String(error) }),
);
