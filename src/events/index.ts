/**
 * flatpeak-client/events: an event for each call, attempt and login of a
 * client, for logs and metrics of your own, as a plugin of the client.
 *
 * @example
 * import { callEvents } from "flatpeak-client/events";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callEvents({ onEvent: (event) => console.log(event) })] });
 */
export type { CallEventBase, FlatpeakCallEvent, FlatpeakCallEventOf } from "./call-event.js";
export { callEvents, type CallEventsOptions } from "./call-events.js";
