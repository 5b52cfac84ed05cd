// Recipe: a Vitest suite for a webhook endpoint and the code it runs —
// deliveries signed by the test signer, Flatpeak answered by the in-process mock.
import { createFlatpeakClient, unwrap } from "flatpeak-client";
import { createMockFlatpeak, createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
import { expect, test } from "vitest";

/** The app under test: on location.update it fetches that location's prices for the next day. */
async function webhookEndpoint() {
  const mock = createMockFlatpeak();
  const flatpeak = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  const signer = await createTestWebhookSigner();
  /** @type {Array<{ data?: unknown[] }>} */
  const fetched = [];
  const router = createEventRouter().on("location.update", async (event) => {
    const end_time = new Date(Date.now() + 24 * 3_600_000).toISOString();
    fetched.push(await unwrap(flatpeak.POST("/prices/{id}", { params: { path: { id: event.data.id } }, body: { end_time } })));
  });
  const handler = createWebhookHandler({ verifier: createWebhookVerifier({ keys: signer.jwks }), router });
  return { mock, signer, handler, fetched };
}

test("fetches the next day's prices of a location Flatpeak says changed", async () => {
  const { mock, signer, handler, fetched } = await webhookEndpoint();
  const body = JSON.stringify(createTestEvent("location.update"));
  const response = await handler(new Request("http://localhost/webhooks/flatpeak", { method: "POST", body, headers: await signer.sign(body) }));
  expect(response.status).toBe(200);
  expect(fetched[0]?.data?.length).toBeGreaterThanOrEqual(48);
  expect(mock.calls.map((call) => call.operation)).toEqual(["GET /login", "POST /prices/{id}"]);
});

test("refuses a delivery Flatpeak did not sign, and runs nothing", async () => {
  const { mock, handler, fetched } = await webhookEndpoint();
  const forger = await createTestWebhookSigner();
  const body = JSON.stringify(createTestEvent("location.update"));
  const response = await handler(new Request("http://localhost/webhooks/flatpeak", { method: "POST", body, headers: await forger.sign(body) }));
  expect([response.status, await response.json()]).toEqual([400, { error: "invalid_webhook" }]);
  expect(fetched).toEqual([]);
  expect(mock.calls).toEqual([]);
});
