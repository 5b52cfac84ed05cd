import type { components } from "../../generated/flatpeak.js";
import type { PriceInterval } from "./intervals.js";

type Price = components["schemas"]["Price"];

/**
 * When a kept answer is current, and when it is fetched again: until
 * `freshUntil` (its `next_update`, or the time it is kept for) it is
 * current; from `refreshAt` it is fetched again, while it still answers.
 *
 * @example
 * const timing: EntryTiming = { freshUntil: nextUpdate, refreshAt: nextUpdate + 90_000 };
 */
export interface EntryTiming {
  freshUntil: number;
  refreshAt: number;
}

/**
 * One kept answer of `POST /prices/{id}`: the window it covers, its timing
 * (wall-clock ms, meaningful in any process) and what it said.
 *
 * @example
 * const entry = entryOf(price, { from, to }, () => ({ freshUntil: Date.now() + 60_000, refreshAt: Date.now() + 30_000 }));
 */
export interface PriceEntry extends EntryTiming {
  from: number;
  to: number;
  timezone: string;
  currency: string;
  lastUpdated: number;
  nextUpdate: number | undefined;
  /** `[start, end, value, confidence]` of each interval, in time order. */
  data: Array<[number, number, number, number]>;
}

/**
 * The entry for a price answer over the window `[from, to)`, timed by
 * `timingFor`, given the answer's `next_update` (`undefined` when it gives
 * none that is a time).
 *
 * @example
 * const entry = entryOf(await unwrap(flatpeak.POST("/prices/{id}", init)), { from, to }, (nextUpdate) => timing(nextUpdate));
 */
export function entryOf(price: Price, window: { from: number; to: number }, timingFor: (nextUpdate: number | undefined) => EntryTiming): PriceEntry {
  const parsed = Date.parse(String(price.next_update));
  const nextUpdate = Number.isNaN(parsed) ? undefined : parsed;
  return {
    ...window,
    ...timingFor(nextUpdate),
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
 * The entry's intervals within `[start, end)`, in time order, as fresh
 * objects (the entry itself is never handed out): every interval that
 * overlaps the window, the first and the last cut to it, so that none
 * starts before `start` or ends after `end`.
 *
 * @example
 * const intervals = intervalsWithin(entry, Date.now(), Date.now() + 3_600_000);
 */
export function intervalsWithin(entry: PriceEntry, start: number, end: number): PriceInterval[] {
  return entry.data
    .filter(([from, to]) => to > start && from < end)
    .map(([from, to, value, confidence]) => ({
      start: new Date(Math.max(from, start)),
      end: new Date(Math.min(to, end)),
      value,
      confidence,
      forecast: confidence < 1,
    }));
}

/**
 * The entry a store held (the fields of its JSON), or `undefined` for
 * anything that is not one (written by another version, or damaged): that
 * is a miss.
 *
 * @example
 * const entry = parseEntry(storedFields<{ entry: unknown }>(text).entry);
 */
export function parseEntry(fields: unknown): PriceEntry | undefined {
  const entry = (fields ?? {}) as Partial<PriceEntry>;
  const times = [entry.from, entry.to, entry.freshUntil, entry.refreshAt, entry.lastUpdated];
  if (!times.every(Number.isFinite) || !(entry.nextUpdate === undefined || Number.isFinite(entry.nextUpdate))) return undefined;
  if (typeof entry.timezone !== "string" || typeof entry.currency !== "string" || !Array.isArray(entry.data)) return undefined;
  if (!entry.data.every((row) => Array.isArray(row) && row.length === 4 && row.every(Number.isFinite))) return undefined;
  return { nextUpdate: undefined, ...entry } as PriceEntry;
}
