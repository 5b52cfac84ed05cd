import { shielded } from "../shielded.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../number-option.js";
import type { FlatpeakStore } from "../store/store.js";
import { handleOnce, type ClaimSettings, type DispatchOutcome } from "./claims.js";
import type { FlatpeakEvent, FlatpeakEventOf, FlatpeakEventType, UnknownFlatpeakEvent } from "./events.js";

type Handler<E> = (event: E) => void | Promise<void>;

/**
 * Options of {@link createEventRouter}.
 *
 * @example
 * const options: EventRouterOptions = { store: createRedisStore(redis), leaseMs: 60_000 };
 */
export interface EventRouterOptions {
  /**
   * Where events are claimed and marked done, so that each is handled once:
   * a redelivery of a handled event runs nothing, and one that arrives while
   * the first is still being handled is refused so that Flatpeak delivers it
   * again later. `createMemoryStore()` serves one process; give every
   * process the same `createRedisStore(redis)` when several receive
   * webhooks. Without a store every delivery runs the handlers.
   */
  store?: FlatpeakStore | undefined;
  /** How long a claim holds while the handlers run, so that a claim of a process that died expires; default 60 000 ms. */
  leaseMs?: number | undefined;
  /** How long a handled event id is remembered; default 7 days, past Flatpeak's last automatic retry (24 h after the first). */
  retentionMs?: number | undefined;
}

/**
 * Options of one {@link EventRouter.dispatch}.
 *
 * @example
 * await router.dispatch(event, { onStoreError: (error) => console.warn(error) });
 */
export interface DispatchOptions {
  /** Told when the store failed after the handlers ran: the done mark or the release could not be written. */
  onStoreError?: ((error: unknown) => void) | undefined;
}

/**
 * Sends each event to the handlers of its type, once per event id when it
 * has a store.
 *
 * @example
 * const router = createEventRouter({ store })
 *   .on("tariff.expired", (event) => notifyCustomer(event.data.location_id))
 *   .onUnknown((event) => console.info("new event type", event.type));
 * const outcome = await router.dispatch(event); // "handled", "duplicate" or "in_progress"
 */
export interface EventRouter {
  /** Adds a handler for one documented event type; its `event` is typed for that type. */
  on<T extends FlatpeakEventType>(type: T, handler: Handler<FlatpeakEventOf<T>>): EventRouter;
  /** Adds a handler for events no `on` handler takes, such as types added after this version. */
  onUnknown(handler: Handler<UnknownFlatpeakEvent>): EventRouter;
  /**
   * Runs the handlers of the event's type in the order they were added.
   * With a store, first claims the event id: resolves `duplicate` or
   * `in_progress` without running anything when it is handled or being
   * handled; marks it done once every handler succeeded; releases it when
   * one throws, and rejects with that error, so a redelivery runs them again.
   * Rejects with a `FlatpeakWebhookError` of reason `store_unavailable` when
   * the store cannot be reached before the handlers ran.
   */
  dispatch(event: FlatpeakEvent, options?: DispatchOptions): Promise<DispatchOutcome>;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * Creates an {@link EventRouter}.
 *
 * @example
 * import { createEventRouter } from "flatpeak-client/webhooks";
 * import { createMemoryStore } from "flatpeak-client/store";
 *
 * const router = createEventRouter({ store: createMemoryStore() }).on("location.update", (event) => refreshPrices(event.data.id));
 */
export function createEventRouter(options: EventRouterOptions = {}): EventRouter {
  const claims = claimSettings(options);
  const handlers = new Map<string, Array<Handler<never>>>();
  const unknown: Array<Handler<UnknownFlatpeakEvent>> = [];
  const run = async (event: FlatpeakEvent) => {
    const chosen = (handlers.get(event.type) ?? unknown) as Array<Handler<FlatpeakEvent>>;
    for (const handler of chosen) await handler(event);
  };
  const router: EventRouter = {
    on(type, handler) {
      handlers.set(type, [...(handlers.get(type) ?? []), handler as Handler<never>]);
      return router;
    },
    onUnknown(handler) {
      unknown.push(handler);
      return router;
    },
    async dispatch(event, dispatchOptions = {}) {
      if (claims === undefined) {
        await run(event);
        return "handled";
      }
      if (typeof event?.id !== "string" || event.id === "") throw new TypeError("router.dispatch: the event has no id to claim it by; pass a verified Flatpeak event.");
      return handleOnce(claims, event.id, () => run(event), shielded(dispatchOptions.onStoreError) ?? ignore);
    },
  };
  return router;
}

function claimSettings(options: EventRouterOptions): ClaimSettings | undefined {
  const { store } = options;
  if (store === undefined) {
    if (options.leaseMs !== undefined || options.retentionMs !== undefined) throw new TypeError("createEventRouter: leaseMs and retentionMs apply to claims in a store; pass a store too, e.g. { store: createMemoryStore() }.");
    return undefined;
  }
  if (typeof store?.get !== "function" || typeof store.set !== "function" || typeof store.deleteIfEquals !== "function") {
    throw new TypeError("createEventRouter: store must be a FlatpeakStore (get, set, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis).");
  }
  const leaseMs = wholeNumberOption("createEventRouter", "leaseMs", options.leaseMs, DEFAULT_LEASE_MS, 1, MAX_TIMER_MS);
  const retentionMs = wholeNumberOption("createEventRouter", "retentionMs", options.retentionMs, DEFAULT_RETENTION_MS, leaseMs);
  return { store, leaseMs, retentionMs };
}

function ignore(): void {}
