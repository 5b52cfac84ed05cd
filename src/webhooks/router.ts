import type { FlatpeakEvent, FlatpeakEventOf, FlatpeakEventType, UnknownFlatpeakEvent } from "./events.js";

type Handler<E> = (event: E) => void | Promise<void>;

/**
 * Options of {@link createEventRouter}.
 *
 * @example
 * const options: EventRouterOptions = { isDuplicate: createMemoryDeduplicator() };
 */
export interface EventRouterOptions {
  /**
   * Says whether an event was already handled, so that a redelivery (Flatpeak
   * retries until it gets a 2xx) runs no handler twice. Use a shared store
   * (a database row keyed by `event.id`) when several processes receive
   * webhooks; {@link createMemoryDeduplicator} serves one process.
   */
  isDuplicate?: ((event: FlatpeakEvent) => boolean | Promise<boolean>) | undefined;
}

/**
 * Sends each event to the handlers of its type.
 *
 * @example
 * const router = createEventRouter()
 *   .on("tariff.expired", (event) => notifyCustomer(event.data.location_id))
 *   .onUnknown((event) => console.info("new event type", event.type));
 * await router.dispatch(event);
 */
export interface EventRouter {
  /** Adds a handler for one documented event type; its `event` is typed for that type. */
  on<T extends FlatpeakEventType>(type: T, handler: Handler<FlatpeakEventOf<T>>): EventRouter;
  /** Adds a handler for events no `on` handler takes, such as types added after this version. */
  onUnknown(handler: Handler<UnknownFlatpeakEvent>): EventRouter;
  /** Runs the handlers of the event's type in the order they were added; rejects when one throws. */
  dispatch(event: FlatpeakEvent): Promise<void>;
}

/**
 * Creates an {@link EventRouter}.
 *
 * @example
 * import { createEventRouter } from "flatpeak-client/webhooks";
 * const router = createEventRouter().on("location.update", (event) => refreshPrices(event.data.id));
 */
export function createEventRouter(options: EventRouterOptions = {}): EventRouter {
  const handlers = new Map<string, Array<Handler<never>>>();
  const unknown: Array<Handler<UnknownFlatpeakEvent>> = [];
  const router: EventRouter = {
    on(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler as Handler<never>]);
      return router;
    },
    onUnknown(handler) {
      unknown.push(handler);
      return router;
    },
    async dispatch(event) {
      if (await options.isDuplicate?.(event)) return;
      const chosen = (handlers.get(event.type) ?? unknown) as Array<Handler<FlatpeakEvent>>;
      for (const handler of chosen) await handler(event);
    },
  };
  return router;
}

/**
 * An `isDuplicate` for one process: remembers the last `maxEntries` event
 * ids (default 10 000) and says true for an id seen before.
 *
 * @example
 * const router = createEventRouter({ isDuplicate: createMemoryDeduplicator({ maxEntries: 50_000 }) });
 */
export function createMemoryDeduplicator(options: { maxEntries?: number } = {}): (event: FlatpeakEvent) => boolean {
  const maxEntries = options.maxEntries ?? 10_000;
  const seen = new Set<string>();
  return (event) => {
    if (seen.has(event.id)) return true;
    seen.add(event.id);
    if (seen.size > maxEntries) seen.delete(seen.values().next().value as string);
    return false;
  };
}
