import type { FlatpeakClient } from "../client/client.js";
import { claimsStoreOf, isShared } from "../store/store-scope.js";
import type { EventRouter } from "../webhooks/router.js";
import { cacheSettings, type PriceCacheOptions } from "./cache-settings.js";
import { fleetOf, type Fleet } from "./fleet.js";
import { keptAnswers, type KeptAnswer } from "./kept-answers.js";
import { answer, checkedQuestion, covers, DIRECTIONS, keyOf, type Asked, type LocationPrices, type PriceQuestion } from "./price-questions.js";
import { priceRequests } from "./price-requests.js";
import { refreshBudget } from "./refresh-plan.js";
import type { SharedRecord } from "./shared-answers.js";
import { STORE_FAILED, type QuestionWaits } from "./store-waits.js";

export type { PriceCacheOptions } from "./cache-settings.js";
export type { LocationPrices, PriceQuestion } from "./price-questions.js";

/**
 * Answers price questions from earlier answers while they hold.
 *
 * @example
 * const prices = createPriceCache(flatpeak);
 * const { intervals } = await prices.get({ locationId, end: Date.now() + 12 * 3_600_000 });
 */
export interface PriceCache {
  /**
   * The prices for `question`: from a kept answer whose window holds the
   * question's — current until its `next_update` (clamped to `minTtlMs` …
   * `maxTtlMs`), then fetched again in the background at a moment of its
   * own within `refreshSpreadMs` while it is still served, marked `stale`,
   * for up to `graceMs` more — else from one `POST /prices/{id}`, over the
   * question's window widened to whole hours and one more hour, so that the
   * next questions find it. Concurrent questions a request under way covers
   * share that request. Rejects as `unwrap` does when the request fails and
   * no kept answer may be served; a failed answer is not kept.
   */
  get(question: PriceQuestion): Promise<LocationPrices>;
  /** Forgets every answer for a location (each direction), here and, with a store, in every process of the fleet; a request under way for it keeps and serves nothing. Rejects when the store cannot record it. */
  invalidate(locationId: string): Promise<void>;
  /**
   * Invalidates a location whenever `router` handles `location.update`,
   * `location.delete` or a `tariff.*` event for it, as Flatpeak's guides
   * advise; returns the router, for chaining. A router whose claims are
   * shared by several processes needs a cache with a shared store too.
   */
  listenTo(router: EventRouter): EventRouter;
}

/**
 * Every `tariff.*` event type, which {@link PriceCache.listenTo} invalidates
 * on; the type test of the prices entry checks that none is missing.
 *
 * @example
 * TARIFF_EVENTS.includes("tariff.expired"); // true
 */
export const TARIFF_EVENTS = ["tariff.expiring", "tariff.expired", "tariff.fetch.failed", "tariff.connection.upgrade"] as const;

/** How often a process asks the store for an answer another process refreshed, while its own is due. */
const LOOK_AGAIN_MS = 1_000;
const ROUNDS = 3;

/**
 * A cache of `POST /prices/{id}` answers: one request per location and
 * direction until the answer's `next_update`, shared by every question
 * whose window it covers; memory bounded by `maxEntries`; refreshed after
 * `next_update` at a moment of each location's own within
 * `refreshSpreadMs` (at most `maxRefreshesPerSecond`), the old answer served
 * meanwhile, marked `stale`. With a `store`, one fleet: answers are kept in
 * each process and in the store, each refresh is made by one process for
 * all, and an invalidation by any process reaches every other within a
 * second, while a request under way when it came writes and serves nothing.
 * Wire it to the webhook router so that a location's prices are fetched again
 * when they change. Forecast intervals (`confidence` below 1) come marked
 * `forecast: true`.
 *
 * @example
 * import { createPriceCache } from "flatpeak-client/prices";
 *
 * const prices = createPriceCache(flatpeak, { store: createRedisStore(redis) });
 * prices.listenTo(router);
 * const { intervals, fromCache } = await prices.get({ locationId: "loc_…", end: Date.now() + 12 * 3_600_000 });
 */
export function createPriceCache(flatpeak: Pick<FlatpeakClient, "POST">, options: PriceCacheOptions = {}): PriceCache {
  if (typeof flatpeak?.POST !== "function") throw new TypeError("createPriceCache: pass the Flatpeak client, e.g. createPriceCache(createFlatpeakClient({ accountId, apiKey })).");
  const settings = cacheSettings(options);
  const kept = keptAnswers(settings.maxEntries);
  const fleet: Fleet | undefined = settings.store && fleetOf(settings.store, settings, (changed) => kept.forget(changed));
  const requests = priceRequests(flatpeak, settings, kept, fleet);
  const mayRefresh = refreshBudget(settings.maxRefreshesPerSecond);
  const keptUntil = ({ entry }: KeptAnswer) => Math.max(entry.freshUntil, entry.refreshAt) + settings.graceMs;

  /** The kept answer for `asked`, here or (on a miss, once a second while a refresh is due, or at once for the `due` answer a refresh is about to replace) in the store, and the store's record read, to write a new answer over. */
  async function lookUp(asked: Asked, question: QuestionWaits | undefined, due?: KeptAnswer): Promise<{ found: KeptAnswer | undefined; record: SharedRecord | undefined }> {
    const now = Date.now();
    const local = due ?? kept.get(asked.key);
    const found = local && covers(local.entry, asked) && now < keptUntil(local) ? local : undefined;
    const looked = due === undefined && found && (now < found.entry.refreshAt || performance.now() - found.lookedAt < LOOK_AGAIN_MS);
    if (fleet === undefined || question === undefined || looked) return { found, record: found?.record };
    const version = kept.version();
    const read = await fleet.shared.read(asked.key, question);
    if (found) found.lookedAt = performance.now();
    if (read === STORE_FAILED || read === undefined) return { found, record: found?.record };
    const taken: KeptAnswer | undefined = read.entry && { entry: read.entry, record: read, lookedAt: performance.now() };
    const usable = taken && !kept.forgottenSince(asked.locationId, version) && covers(taken.entry, asked) && now < keptUntil(taken) && (found === undefined || taken.entry.freshUntil > found.entry.freshUntil);
    if (!usable) return { found, record: read };
    kept.set(asked.key, asked.locationId, taken);
    return { found: taken, record: read };
  }

  /**
   * Fetches `found` again in the background, within the refresh budget, and
   * once for the fleet: under a lock, and only when the store, read once the
   * lock is taken, holds no newer answer that another process brought.
   */
  function refresh(asked: Asked, found: KeptAnswer): void {
    if (requests.underWay(asked.key) || !mayRefresh()) return;
    void (async () => {
      const owner = await fleet?.shared.lock(asked.key);
      if (owner === false) return;
      try {
        const { found: newer, record } = owner ? await lookUp(asked, fleet?.waits.question(), found) : { found, record: found.record };
        if (newer === found) await requests.ask(asked, record).entry;
      } catch (error) {
        settings.onRefreshError(error);
      } finally {
        if (owner) fleet?.shared.unlock(asked.key, owner);
      }
    })();
  }

  const cache: PriceCache = {
    async get(question) {
      const asked = checkedQuestion(question);
      const waits = fleet?.waits.question();
      const confirmed = fleet === undefined || waits === undefined || (await fleet.changes.look(waits));
      for (let round = 1; ; round++) {
        const { found, record } = await lookUp(asked, waits);
        const now = Date.now();
        if (found) {
          if (now >= found.entry.refreshAt) refresh(asked, found);
          return answer(asked, found.entry, { fromCache: true, stale: now >= found.entry.freshUntil || !confirmed });
        }
        // A request under way when its location was invalidated keeps and serves nothing: the question is asked again.
        const request = requests.joinable(asked) ?? requests.ask(asked, record);
        const entry = await request.entry;
        // What this process learns of the fleet from a read after the request ended holds for what it brought.
        if (fleet && waits) await fleet.changes.look(waits, performance.now());
        if (!kept.forgottenSince(asked.locationId, request.version)) return answer(asked, entry, { fromCache: false, stale: false });
        if (round === ROUNDS) throw new Error(`priceCache.get: the prices of ${asked.locationId} were invalidated while each of ${ROUNDS} requests for them was under way; ask again.`);
      }
    },
    async invalidate(locationId) {
      if (typeof locationId !== "string" || locationId === "") throw new TypeError('priceCache.invalidate: pass the id of a location, e.g. "loc_641b90b758fb8e6293716e40".');
      kept.forget([locationId]);
      if (fleet) await Promise.all([...DIRECTIONS.map((direction) => fleet.shared.tombstone(keyOf(locationId, direction))), fleet.changes.record(locationId)]);
    },
    listenTo(router) {
      const claims = claimsStoreOf(router);
      if (settings.store === undefined && claims !== undefined && isShared(claims)) {
        throw new TypeError("priceCache.listenTo: the router's claims are shared between processes, so only one of them handles each event, and the caches of the others would keep the old prices; give the cache the same shared store, e.g. createPriceCache(flatpeak, { store: createRedisStore(redis) }).");
      }
      const forget = async (locationId: unknown) => {
        if (typeof locationId === "string" && locationId !== "") await cache.invalidate(locationId);
      };
      router.on("location.update", (event) => forget(event.data?.id)).on("location.delete", (event) => forget(event.data?.id));
      for (const type of TARIFF_EVENTS) router.on(type, (event) => forget(event.data?.location_id));
      return router;
    },
  };
  return cache;
}
