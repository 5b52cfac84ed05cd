import type { components } from "../../generated/flatpeak.js";
import type { FlatpeakClient } from "../client.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../number-option.js";
import { shielded } from "../shielded.js";
import type { FlatpeakStore } from "../store/store.js";
import { unwrap } from "../unwrap.js";
import type { EventRouter } from "../webhooks/router.js";
import { instantOf } from "./instant.js";
import type { PriceInterval } from "./intervals.js";
import { entryOf, intervalsWithin, parseStored, storedText, type PriceEntry } from "./price-entry.js";

type TariffDirection = components["schemas"]["TariffDirection"];

/**
 * Options of {@link createPriceCache}.
 *
 * @example
 * const options: PriceCacheOptions = { store: createRedisStore(redis), maxTtlMs: 30 * 60_000 };
 */
export interface PriceCacheOptions {
  /**
   * Where answers are shared between processes (`createRedisStore(redis)`):
   * each question then reads the store, so that an invalidation by any
   * process holds for all. Without one, answers are kept in this process.
   */
  store?: FlatpeakStore | undefined;
  /** How many answers (one per location and direction) this process keeps at most; the least recently used goes first. Default 1,000. */
  maxEntries?: number | undefined;
  /** The shortest time an answer is kept, whatever its `next_update` says; default 60 000 ms. */
  minTtlMs?: number | undefined;
  /** The longest time an answer is kept, and its time when it has no `next_update`; default 3 600 000 ms (an hour). */
  maxTtlMs?: number | undefined;
  /** Told when the store could not be read or written; the question is then answered by a request. */
  onStoreError?: ((error: unknown) => void) | undefined;
}

/**
 * A price question, as `POST /prices/{id}` takes it: a location, a window
 * (each an instant: a `Date`, an RFC 3339 string or epoch ms) and a tariff
 * direction.
 *
 * @example
 * const question: PriceQuestion = { locationId: "loc_…", end: Date.now() + 12 * 3_600_000 };
 */
export interface PriceQuestion {
  locationId: string;
  /** Default now. */
  start?: Date | string | number | undefined;
  end: Date | string | number;
  /** Default `IMPORT`. */
  direction?: TariffDirection | undefined;
}

/**
 * The prices of a location over the asked window: every interval that
 * overlaps it, in time order, with what the answer said about them.
 *
 * @example
 * const { intervals, currency, fromCache }: LocationPrices = await prices.get({ locationId, end });
 */
export interface LocationPrices {
  locationId: string;
  /** The location's IANA time zone, e.g. `Europe/London`. */
  timezone: string;
  currency: string;
  direction: TariffDirection;
  intervals: PriceInterval[];
  /** When the prices last changed. */
  lastUpdated: Date;
  /** When Flatpeak expects them to change; the cache asks again then (within `minTtlMs` … `maxTtlMs`). */
  nextUpdate: Date | undefined;
  /** True when no request was made for this answer. */
  fromCache: boolean;
}

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
   * question's and whose time (its `next_update`, clamped) has not passed;
   * else from one `POST /prices/{id}`, over the question's window widened
   * to whole hours and one more hour, so that the next questions — the same
   * one a minute later — find it. Concurrent questions a request under way
   * covers share that request. Rejects as `unwrap` does when the request
   * fails; a failed answer is not kept.
   */
  get(question: PriceQuestion): Promise<LocationPrices>;
  /** Forgets every answer for a location (each direction), here and in the store; a request under way for it keeps nothing. */
  invalidate(locationId: string): Promise<void>;
  /**
   * Invalidates a location whenever `router` handles `location.update`,
   * `location.delete` or a `tariff.*` event for it, as Flatpeak's guides
   * advise; returns the router, for chaining.
   */
  listenTo(router: EventRouter): EventRouter;
}

const HOUR_MS = 3_600_000;
const DIRECTIONS = ["IMPORT", "EXPORT", "LOCAL"] as const satisfies readonly TariffDirection[];
/**
 * Every `tariff.*` event type, which {@link PriceCache.listenTo} invalidates
 * on; the type test of the prices entry checks that none is missing.
 *
 * @example
 * TARIFF_EVENTS.includes("tariff.expired"); // true
 */
export const TARIFF_EVENTS = ["tariff.expiring", "tariff.expired", "tariff.fetch.failed", "tariff.connection.upgrade"] as const;

interface Settings {
  store: FlatpeakStore | undefined;
  maxEntries: number;
  minTtlMs: number;
  maxTtlMs: number;
  onStoreError: (error: unknown) => void;
}

interface Asked {
  locationId: string;
  direction: TariffDirection;
  start: number;
  end: number;
  key: string;
}

/** A request under way, and the window it asked for. */
interface Flight {
  locationId: string;
  from: number;
  to: number;
  /** Set by an invalidation: what it brings is not kept, and no new question joins it. */
  stale: boolean;
  entry: Promise<PriceEntry>;
}

/**
 * A cache of `POST /prices/{id}` answers: one request per location and
 * direction until the answer's `next_update` (clamped to `minTtlMs` …
 * `maxTtlMs`), shared by every question whose window it covers; memory
 * bounded by `maxEntries`; across processes with a `store`. Wire it to the
 * webhook router so that a location's prices are fetched again when they
 * change. Forecast intervals (`confidence` below 1) come marked
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
  const kept = keptAnswers(settings);
  const flights = new Map<string, Flight>();

  function ask(asked: Asked): Flight {
    const from = Math.floor(asked.start / HOUR_MS) * HOUR_MS;
    const to = Math.ceil(asked.end / HOUR_MS) * HOUR_MS + HOUR_MS;
    const flight: Flight = {
      locationId: asked.locationId,
      from,
      to,
      stale: false,
      entry: Promise.resolve(undefined as never),
    };
    flight.entry = (async () => {
      const body = {
        start_time: new Date(from).toISOString(),
        end_time: new Date(to).toISOString(),
        tariff_direction: asked.direction,
      };
      const price = await unwrap(
        flatpeak.POST("/prices/{id}", {
          params: { path: { id: asked.locationId } },
          body,
        })
      );
      const entry = entryOf(price, { from, to }, (nextUpdate) => expiry(nextUpdate, settings));
      if (!flight.stale) await kept.write(asked.key, entry);
      return entry;
    })().finally(() => {
      if (flights.get(asked.key) === flight) flights.delete(asked.key);
    });
    flights.set(asked.key, flight);
    return flight;
  }

  const cache: PriceCache = {
    async get(question) {
      const asked = checkedQuestion(question);
      const entry = await kept.read(asked.key);
      if (entry !== undefined && Date.now() < entry.expiresAt && covers(entry, asked)) return answer(asked, entry, true);
      const underWay = flights.get(asked.key);
      const flight = underWay !== undefined && !underWay.stale && covers(underWay, asked) ? underWay : ask(asked);
      return answer(asked, await flight.entry, false);
    },
    async invalidate(locationId) {
      if (typeof locationId !== "string" || locationId === "") throw new TypeError('priceCache.invalidate: pass the id of a location, e.g. "loc_641b90b758fb8e6293716e40".');
      for (const [key, flight] of flights) {
        if (flight.locationId !== locationId) continue;
        flight.stale = true;
        flights.delete(key);
      }
      await Promise.all(DIRECTIONS.map((direction) => kept.forget(keyOf(locationId, direction))));
    },
    listenTo(router) {
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

/** Where answers are kept: in this process, or in the store with the parsed answer remembered by its text. */
function keptAnswers({ store, maxEntries, onStoreError }: Settings) {
  const memory = new Map<string, { text: string | undefined; entry: PriceEntry }>();
  const remember = (key: string, text: string | undefined, entry: PriceEntry) => {
    memory.delete(key);
    memory.set(key, { text, entry });
    if (memory.size > maxEntries) memory.delete(memory.keys().next().value as string);
  };
  return {
    async read(key: string): Promise<PriceEntry | undefined> {
      const held = memory.get(key);
      if (store === undefined) {
        if (held !== undefined) remember(key, undefined, held.entry);
        return held?.entry;
      }
      const text = await Promise.resolve()
        .then(() => store.get(key))
        .catch((error: unknown) => void onStoreError(error));
      // Stryker disable next-line ConditionalExpression: parsing the same text again gives the same entry; remembering it only saves the parse
      if (text !== undefined && text === held?.text) return held.entry;
      const entry = parseStored(text);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: as above
      if (entry !== undefined) remember(key, text, entry);
      return entry;
    },
    async write(key: string, entry: PriceEntry): Promise<void> {
      if (store === undefined) return remember(key, undefined, entry);
      const text = storedText(entry);
      await Promise.resolve()
        .then(() =>
          store.set(key, text, {
            ttlMs: Math.max(1, entry.expiresAt - Date.now()),
          })
        )
        .then(
          // Stryker disable next-line ArrowFunction: as in read, remembering the text only saves a parse
          () => remember(key, text, entry),
          (error: unknown) => onStoreError(error)
        );
    },
    async forget(key: string): Promise<void> {
      memory.delete(key);
      if (store === undefined) return;
      const text = await store.get(key);
      if (text !== undefined) await store.deleteIfEquals(key, text);
    },
  };
}

function answer(asked: Asked, entry: PriceEntry, fromCache: boolean): LocationPrices {
  return {
    locationId: asked.locationId,
    timezone: entry.timezone,
    currency: entry.currency,
    direction: asked.direction,
    intervals: intervalsWithin(entry, asked.start, asked.end),
    lastUpdated: new Date(entry.lastUpdated),
    nextUpdate: entry.nextUpdate === undefined ? undefined : new Date(entry.nextUpdate),
    fromCache,
  };
}

function covers(window: { from: number; to: number }, asked: Asked): boolean {
  return window.from <= asked.start && asked.end <= window.to;
}

/** When an answer stops holding: at its `next_update`, within `minTtlMs` … `maxTtlMs` from now. */
function expiry(nextUpdate: number | undefined, { minTtlMs, maxTtlMs }: Settings): number {
  const now = Date.now();
  return now + (nextUpdate === undefined ? maxTtlMs : Math.min(maxTtlMs, Math.max(minTtlMs, nextUpdate - now)));
}

function keyOf(locationId: string, direction: TariffDirection): string {
  return `flatpeak:prices:${encodeURIComponent(locationId)}:${direction}`;
}

function checkedQuestion(question: PriceQuestion): Asked {
  const { locationId } = question ?? {};
  if (typeof locationId !== "string" || locationId.trim() === "") throw new TypeError('priceCache.get: locationId must be the id of a location, e.g. "loc_641b90b758fb8e6293716e40".');
  const direction = question.direction ?? "IMPORT";
  if (!DIRECTIONS.includes(direction)) throw new TypeError(`priceCache.get: direction must be one of ${DIRECTIONS.join(", ")}, got ${JSON.stringify(String(direction).slice(0, 40))}.`);
  const start = instantOf("priceCache.get", "start", question.start) ?? Date.now();
  const end = instantOf("priceCache.get", "end", question.end) ?? Number.NaN;
  if (!(end > start)) throw new TypeError("priceCache.get: end must be an instant after start (which defaults to now), e.g. { end: Date.now() + 12 * 3_600_000 }.");
  return {
    locationId,
    direction,
    start,
    end,
    key: keyOf(locationId, direction),
  };
}

function cacheSettings(options: PriceCacheOptions): Settings {
  const { store } = options;
  if (store !== undefined && (typeof store?.get !== "function" || typeof store.set !== "function" || typeof store.deleteIfEquals !== "function")) {
    throw new TypeError("createPriceCache: store must be a FlatpeakStore (get, set, deleteIfEquals), such as createMemoryStore() or createRedisStore(redis).");
  }
  const minTtlMs = wholeNumberOption("createPriceCache", "minTtlMs", options.minTtlMs, 60_000, 1, MAX_TIMER_MS);
  return {
    store,
    maxEntries: wholeNumberOption("createPriceCache", "maxEntries", options.maxEntries, 1_000, 1),
    minTtlMs,
    maxTtlMs: wholeNumberOption("createPriceCache", "maxTtlMs", options.maxTtlMs, Math.max(HOUR_MS, minTtlMs), minTtlMs, MAX_TIMER_MS),
    onStoreError: shielded(options.onStoreError) ?? ignore,
  };
}

function ignore(): void {}
