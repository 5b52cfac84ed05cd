import type { components } from "../../generated/flatpeak.js";
import { storedFields } from "../store/stored-fields.js";
import type { PriceInterval } from "./intervals.js";

type Price = components["schemas"]["Price"];

/**
 * One cached answer of `POST /prices/{id}`: the window it covers, until when
 * it holds (wall-clock ms, meaningful in any process) and what it said.
 *
 * @example
 * const entry = entryOf(price, { from, to }, Date.now() + 60_000);
 */
export interface PriceEntry {
  from: number;
  to: number;
  expiresAt: number;
  timezone: string;
  currency: string;
  lastUpdated: number;
  nextUpdate: number | undefined;
  /** `[start, end, value, confidence]` of each interval, in time order. */
  data: Array<[number, number, number, number]>;
}

/**
 * The entry for a price answer over the window `[from, to)`, held until
 * `expiresAtFor` says, given the answer's `next_update` (`undefined` when it
 * gives none that is a time).
 *
 * @example
 * const entry = entryOf(await unwrap(flatpeak.POST("/prices/{id}", init)), { from, to }, (nextUpdate) => nextUpdate ?? Date.now() + 3_600_000);
 */
export function entryOf(price: Price, window: { from: number; to: number }, expiresAtFor: (nextUpdate: number | undefined) => number): PriceEntry {
  const parsed = Date.parse(String(price.next_update));
  const nextUpdate = Number.isNaN(parsed) ? undefined : parsed;
  return {
    ...window,
    expiresAt: expiresAtFor(nextUpdate),
    timezone: price.location_timezone,
    currency: price.currency_code,
    lastUpdated: Date.parse(price.last_updated),
    nextUpdate,
    data: (price.data ?? [])
      .map(({ valid_from, valid_to, price: { value, confidence } }): [number, number, number, number] => [Date.parse(valid_from), Date.parse(valid_to), value, confidence])
      .sort((a, b) => a[0] - b[0]),
  };
}

/**
 * The entry's intervals that overlap `[start, end)`, as fresh objects (the
 * entry itself is never handed out).
 *
 * @example
 * const intervals = intervalsWithin(entry, Date.now(), Date.now() + 3_600_000);
 */
export function intervalsWithin(entry: PriceEntry, start: number, end: number): PriceInterval[] {
  return entry.data
    .filter(([from, to]) => to > start && from < end)
    .map(([from, to, value, confidence]) => ({
      start: new Date(from),
      end: new Date(to),
      value,
      confidence,
      forecast: confidence < 1,
    }));
}

/**
 * The entry as a store keeps it.
 *
 * @example
 * await store.set(key, storedText(entry), { ttlMs });
 */
export function storedText(entry: PriceEntry): string {
  return JSON.stringify(entry);
}

/**
 * The entry a store held, or `undefined` for text that is not one (written
 * by another version, or damaged): that is a miss, and is written over.
 *
 * @example
 * const entry = parseStored(await store.get(key));
 */
export function parseStored(text: string | undefined): PriceEntry | undefined {
  const entry = storedFields<PriceEntry>(text);
  const times = [entry.from, entry.to, entry.expiresAt, entry.lastUpdated];
  if (!times.every(Number.isFinite) || !(entry.nextUpdate === undefined || Number.isFinite(entry.nextUpdate))) return undefined;
  if (typeof entry.timezone !== "string" || typeof entry.currency !== "string" || !Array.isArray(entry.data)) return undefined;
  if (!entry.data.every((row) => Array.isArray(row) && row.length === 4 && row.every(Number.isFinite))) return undefined;
  return { nextUpdate: undefined, ...entry } as PriceEntry;
}
