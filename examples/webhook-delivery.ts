/**
 * Shared by the webhook examples: signs test deliveries the way Flatpeak
 * does, with a key pair of its own, and sends them to an endpoint. A real app
 * receives them from Flatpeak instead.
 */
import { createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";

export const signer = await createTestWebhookSigner();

/** Sends a signed delivery of each event type to `send`, then a forged one; throws unless the endpoint answered right. */
export async function deliverTestEvents(send: (request: Request) => Promise<Response>, url = "http://localhost/webhooks/flatpeak"): Promise<void> {
  for (const type of ["tariff.expired", "location.update"] as const) {
    const body = JSON.stringify(createTestEvent(type));
    const response = await send(new Request(url, { method: "POST", body, headers: await signer.sign(body) }));
    if (response.status !== 200) throw new Error(`${type}: the endpoint answered ${response.status}`);
  }
  const body = JSON.stringify(createTestEvent("tariff.expired"));
  const forged = await send(new Request(url, { method: "POST", body: body.replace("expired", "expiring"), headers: await signer.sign(body) }));
  if (forged.status !== 400) throw new Error(`a forged delivery got ${forged.status}, not 400`);
  console.log("signed deliveries accepted, a forged one refused");
}
