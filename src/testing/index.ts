/**
 * flatpeak-client/testing: what an app needs to test its Flatpeak code
 * without Flatpeak. Never import it from production code.
 *
 * @example
 * import { createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";
 *
 * const signer = await createTestWebhookSigner();
 * const body = JSON.stringify(createTestEvent("tariff.expired"));
 * const headers = await signer.sign(body);
 */
export { TEST_EVENT_TYPES, createTestEvent } from "./events.js";
export { createTestWebhookSigner, type TestWebhookSigner } from "./webhook-signer.js";
