import type { components } from "../../generated/flatpeak.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { instantOf } from "./instant.js";
import type { PriceInterval } from "./intervals.js";
import { intervalsWithin, type PriceEntry } from "./price-entry.js";

type TariffDirection = components["schemas"]["TariffDirection"];

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
 * The prices of a location over the asked window, with what the answer
 * said about them.
 *
 * @example
 * const { intervals, currency, fromCache, stale }: LocationPrices = await prices.get({ locationId, end });
 */
export interface LocationPrices {
  locationId: string;
  /** The location's IANA time zone, e.g. `Europe/London`. */
  timezone: string;
  currency: string;
  direction: TariffDirection;
  /** The intervals within the asked window, in time order; the first and the last are cut to it, so none starts before its start (now, by default) or ends after its end. */
  intervals: PriceInterval[];
  /** When the prices last changed. */
  lastUpdated: Date;
  /** When Flatpeak expects them to change; the cache asks again then (within `minTtlMs` … `maxTtlMs`, spread over `refreshSpreadMs`). */
  nextUpdate: Date | undefined;
  /** True when no request was made for this answer. */
  fromCache: boolean;
  /** True when the answer may not be current: it is past its `next_update` (a refresh is due or under way, or Flatpeak failed), or the fleet's invalidations could not be read for more than a second. */
  stale: boolean;
}

/**
 * A checked question: its window in ms and the key of its answer.
 *
 * @example
 * const asked: Asked = checkedQuestion({ locationId: "loc_1", end: Date.now() + 3_600_000 });
 */
export interface Asked {
  locationId: string;
  direction: TariffDirection;
  start: number;
  end: number;
  key: string;
}

/**
 * The tariff directions, in the order `POST /prices/{id}` lists them.
 *
 * @example
 * DIRECTIONS.includes("EXPORT"); // true
 */
export const DIRECTIONS: readonly ["IMPORT", "EXPORT", "LOCAL"] = ["IMPORT", "EXPORT", "LOCAL"] as const satisfies readonly TariffDirection[];

const QUESTION_KEYS: EveryKey<PriceQuestion> = { locationId: true, start: true, end: true, direction: true };

/**
 * The store key of a location's answers in one direction.
 *
 * @example
 * keyOf("loc_1", "IMPORT"); // "flatpeak:prices:loc_1:IMPORT"
 */
export function keyOf(locationId: string, direction: TariffDirection): string {
  return `flatpeak:prices:${encodeURIComponent(locationId)}:${direction}`;
}

/**
 * The question checked, or a `TypeError` saying what to pass.
 *
 * @example
 * checkedQuestion({ locationId: "loc_1", end: "2026-12-03T07:00:00Z" }).start; // now
 */
export function checkedQuestion(question: PriceQuestion): Asked {
  checkKeys("priceCache.get", question, QUESTION_KEYS);
  const { locationId } = question;
  if (typeof locationId !== "string" || locationId.trim() === "") throw new TypeError('priceCache.get: locationId must be the id of a location, e.g. "loc_641b90b758fb8e6293716e40".');
  const direction = question.direction ?? "IMPORT";
  if (!DIRECTIONS.includes(direction)) throw new TypeError(`priceCache.get: direction must be one of ${DIRECTIONS.join(", ")}, got ${JSON.stringify(String(direction).slice(0, 40))}.`);
  const start = instantOf("priceCache.get", "start", question.start) ?? Date.now();
  const end = instantOf("priceCache.get", "end", question.end) ?? Number.NaN;
  if (!(end > start)) throw new TypeError("priceCache.get: end must be an instant after start (which defaults to now), e.g. { end: Date.now() + 12 * 3_600_000 }.");
  return { locationId, direction, start, end, key: keyOf(locationId, direction) };
}

/**
 * Whether a window holds the asked one.
 *
 * @example
 * covers(entry, asked); // true when the entry's window holds the question's
 */
export function covers(window: { from: number; to: number }, asked: Asked): boolean {
  return window.from <= asked.start && asked.end <= window.to;
}

/**
 * The answer to `asked` from `entry`.
 *
 * @example
 * return answer(asked, entry, { fromCache: true, stale: false });
 */
export function answer(asked: Asked, entry: PriceEntry, { fromCache, stale }: Pick<LocationPrices, "fromCache" | "stale">): LocationPrices {
  return {
    locationId: asked.locationId,
    timezone: entry.timezone,
    currency: entry.currency,
    direction: asked.direction,
    intervals: intervalsWithin(entry, asked.start, asked.end),
    lastUpdated: new Date(entry.lastUpdated),
    nextUpdate: entry.nextUpdate === undefined ? undefined : new Date(entry.nextUpdate),
    fromCache,
    stale,
  };
}
