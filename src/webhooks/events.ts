import type { components } from "../../generated/flatpeak.js";

type Schemas = components["schemas"];
type KnownEvent = Schemas["WebhookEvent"];

/**
 * Every event type the spec documents, e.g. `"tariff.expired"`.
 *
 * @example
 * const type: FlatpeakEventType = "location.update";
 */
export type FlatpeakEventType = NonNullable<KnownEvent["type"]>;

/**
 * The event of one documented type, with `data` typed as the spec describes
 * it (a `Location` for `location.*`, the location and tariff ids for
 * `tariff.*`, …).
 *
 * @example
 * function onExpired(event: FlatpeakEventOf<"tariff.expired">) {
 *   console.log(event.data.location_id);
 * }
 */
export type FlatpeakEventOf<T extends FlatpeakEventType> = KnownEvent extends infer E
  ? E extends { type?: infer U }
    ? T extends U
      ? Omit<E, "type"> & { type: T }
      : never
    : never
  : never;

/**
 * An event of a type this version of the package does not know yet: Flatpeak
 * adds types over time, and they are delivered too.
 *
 * @example
 * const event: UnknownFlatpeakEvent = { id: "evt_1", object: "event", type: "battery.update", data: {} };
 */
export type UnknownFlatpeakEvent = Schemas["Event"];

/**
 * A verified webhook event: one of the documented types, discriminated by
 * `type` (narrow it with an event router, or with {@link isEventType}), or an
 * event of a type added later.
 *
 * @example
 * const event: FlatpeakEvent = await verifier.verify(rawBody, headers);
 * console.log(event.id, event.type);
 */
export type FlatpeakEvent = { [T in FlatpeakEventType]: FlatpeakEventOf<T> }[FlatpeakEventType] | UnknownFlatpeakEvent;

/**
 * Narrows an event to one documented type.
 *
 * @example
 * if (isEventType(event, "tariff.expired")) console.log(event.data.tariff_id);
 */
export function isEventType<T extends FlatpeakEventType>(event: FlatpeakEvent, type: T): event is FlatpeakEventOf<T> {
  return event.type === type;
}

/**
 * The event in a signed body, or `undefined` when the body is not one: a JSON
 * object with a string `id` and `type`, `object: "event"` and an object `data`.
 *
 * @example
 * const event = parseEvent('{"id":"evt_1","object":"event","type":"tariff.expired","data":{"location_id":"loc_1"}}');
 */
export function parseEvent(text: string): FlatpeakEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { id, object, type, data } = value as Record<string, unknown>;
  const isEvent = typeof id === "string" && object === "event" && typeof type === "string" && typeof data === "object" && data !== null && !Array.isArray(data);
  return isEvent ? (value as FlatpeakEvent) : undefined;
}
