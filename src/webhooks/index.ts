/**
 * flatpeak-client/webhooks: verify, type and route Flatpeak's webhook
 * deliveries on any runtime with Web Crypto.
 *
 * @example
 * import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "flatpeak-client/webhooks";
 *
 * const router = createEventRouter().on("tariff.expired", (event) => console.log(event.data.location_id));
 * export const POST = createWebhookHandler({ verifier: createWebhookVerifier(), router });
 */
export { FlatpeakWebhookError, isFlatpeakWebhookError, type FlatpeakWebhookErrorReason } from "./errors.js";
export { isEventType, type FlatpeakEvent, type FlatpeakEventOf, type FlatpeakEventType, type UnknownFlatpeakEvent } from "./events.js";
export { createWebhookHandler, type WebhookAnswer, type WebhookHandler, type WebhookHandlerOptions } from "./handler.js";
export type { WebhookHeaders } from "./headers.js";
export type { NodeRequestLike, NodeResponseLike } from "./node-adapter.js";
export type { DispatchOutcome } from "./claims.js";
export { createEventRouter, type DispatchOptions, type EventHandlerContext, type EventRouter, type EventRouterOptions } from "./router.js";
export type { JsonWebKeys, WebhookJsonWebKey } from "./signing-keys.js";
export { createWebhookVerifier, type SignedDelivery, type WebhookVerifier, type WebhookVerifierOptions } from "./verifier.js";
