import { shielded } from "../shared/shielded.js";
import { belongsIn, checkKeys, type EveryKey } from "../shared/known-keys.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { checkedStore } from "../store/store-checks.js";
import { withClaimsStore } from "../store/store-scope.js";
import type { FlatpeakStore } from "../store/store.js";
import { handleOnce, type ClaimSettings, type DispatchOutcome } from "./claims.js";
import type { FlatpeakEvent, FlatpeakEventOf, FlatpeakEventType, UnknownFlatpeakEvent } from "./events.js";

/**
 * What a handler is given besides the event.
 *
 * @example
 * router.on("tariff.expired", async (event, { signal }) => {
 *   const customer = await loadCustomer(event.data.location_id);
 *   if (!signal.aborted) await notify(customer); // the claim still holds: no other delivery runs this
 * });
 */
export interface EventHandlerContext {
  /**
   * Aborts when the router's claim on the event is lost while the handler
   * runs (it outlived its lease, or the store could not be reached to renew
   * it), so that another delivery may be running it now: check it before a
   * side effect that must happen once. Never aborts without a store.
   */
  signal: AbortSignal;
}

type Handler<E> = (event: E, context: EventHandlerContext) => void | Promise<void>;

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
  /** How long a claim holds unless renewed; it is renewed every third of it while the handlers run, so that only the claim of a process that died or was cut off expires. Default 60 000 ms. */
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
  /** Told when the store failed once the handlers ran (a renewal, the done mark or the release could not be written), and when the claim was lost (reason `lease_lost`). */
  onStoreError?: ((error: unknown) => void) | undefined;
  /** Bounds every wait for the store, such as the delivery's deadline: a claim not confirmed by then rejects with `store_unavailable`; a done mark or release still under way goes on, and its failure is reported. */
  signal?: AbortSignal | undefined;
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
   * handled; renews the claim while they run; marks it done once every
   * handler succeeded; releases it when one throws, and rejects with that
   * error, so a redelivery runs them again. Renewal, done mark and release
   * write only while the claim is still this dispatch's: a lost claim is
   * reported to `onStoreError` (reason `lease_lost`) and nothing is written.
   * Rejects with a `FlatpeakWebhookError` of reason `store_unavailable` when
   * the store cannot be reached (or answers what the store contract does
   * not allow) before the handlers ran.
   */
  dispatch(event: FlatpeakEvent, options?: DispatchOptions): Promise<DispatchOutcome>;
}

const DEFAULT_LEASE_MS = 60_000;
const KEYS: EveryKey<EventRouterOptions> = { store: true, leaseMs: true, retentionMs: true };
const ELSEWHERE = { onStoreError: "router.dispatch(event, { onStoreError })", ...belongsIn("createWebhookHandler", ["onError", "deadlineMs"]) };
const DISPATCH_KEYS: EveryKey<DispatchOptions> = { onStoreError: true, signal: true };
const DISPATCH_ELSEWHERE = belongsIn("createEventRouter", Object.keys(KEYS));
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
  checkKeys("createEventRouter", options, KEYS, ELSEWHERE);
  const claims = claimSettings(options);
  const handlers = new Map<string, Array<Handler<never>>>();
  const unknown: Array<Handler<UnknownFlatpeakEvent>> = [];
  const run = async (event: FlatpeakEvent, signal: AbortSignal) => {
    const chosen = (handlers.get(event.type) ?? unknown) as Array<Handler<FlatpeakEvent>>;
    for (const handler of chosen) await handler(event, { signal });
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
      checkKeys("router.dispatch", dispatchOptions, DISPATCH_KEYS, DISPATCH_ELSEWHERE);
      if (claims === undefined) {
        await run(event, new AbortController().signal);
        return "handled";
      }
      if (typeof event?.id !== "string" || event.id === "") throw new TypeError("router.dispatch: the event has no id to claim it by; pass a verified Flatpeak event.");
      return handleOnce(claims, event.id, (signal) => run(event, signal), { onStoreError: shielded(dispatchOptions.onStoreError) ?? ignore, signal: dispatchOptions.signal });
    },
  };
  return withClaimsStore(router, claims?.store);
}

function claimSettings(options: EventRouterOptions): ClaimSettings | undefined {
  const { store } = options;
  if (store === undefined) {
    if (options.leaseMs !== undefined || options.retentionMs !== undefined) throw new TypeError("createEventRouter: leaseMs and retentionMs apply to claims in a store; pass a store too, e.g. { store: createMemoryStore() }.");
    return undefined;
  }
  checkedStore("createEventRouter", store, ["get", "set", "setIfEquals", "deleteIfEquals"]);
  const leaseMs = wholeNumberOption("createEventRouter", "leaseMs", options.leaseMs, DEFAULT_LEASE_MS, 1, MAX_TIMER_MS);
  const retentionMs = wholeNumberOption("createEventRouter", "retentionMs", options.retentionMs, DEFAULT_RETENTION_MS, leaseMs);
  return { store, leaseMs, retentionMs };
}

function ignore(): void {}
