/**
 * The price cache's entries: what an answer of POST /prices/{id} is kept as,
 * which of its intervals a question gets, and which texts a store may hand
 * back as an entry (anything else is a miss, written over).
 */
import { describe, expect, it } from "vitest";
import type { components } from "../../generated/flatpeak.js";
import { entryOf, intervalsWithin, parseEntry, type PriceEntry } from "../../src/prices/price-entry.js";
import { storedFields } from "../../src/store/stored-fields.js";

/** The entry of a text a store held, as the cache reads it. */
const parseStored = (text: string | undefined) => parseEntry(storedFields(text));
const storedText = (kept: PriceEntry) => JSON.stringify(kept);

type Price = components["schemas"]["Price"];

const HOUR = 3_600_000;
const FROM = Date.parse("2026-12-02T10:00:00Z");

function interval(startHour: number, value: number, confidence = 1) {
  return {
    valid_from: new Date(FROM + startHour * HOUR).toISOString(),
    valid_to: new Date(FROM + (startHour + 1) * HOUR).toISOString(),
    price: { value, confidence },
  };
}

function price(overrides: Partial<Price> = {}): Price {
  return {
    id: "prs_1",
    object: "price",
    live_mode: false,
    location_id: "loc_1",
    location_timezone: "Europe/London",
    currency_code: "GBP",
    tariff_direction: "IMPORT",
    last_updated: "2026-12-01T16:00:00Z",
    next_update: "2026-12-02T11:00:00Z",
    request: { end_time: new Date(FROM + 3 * HOUR).toISOString() },
    data: [interval(2, 0.3, 0.8), interval(0, 0.1), interval(1, 0.2)],
    account_id: "acc_1",
    ...overrides,
  };
}

function entry(overrides: Partial<PriceEntry> = {}): PriceEntry {
  return { ...entryOf(price(), { from: FROM, to: FROM + 3 * HOUR }, (nextUpdate) => ({ freshUntil: (nextUpdate ?? 0) + HOUR, refreshAt: (nextUpdate ?? 0) + 2 * HOUR })), ...overrides };
}

describe("entryOf", () => {
  it("keeps the window, the timing it is given for the next update, zone, currency, both update times and the intervals in time order", () => {
    expect(entry()).toEqual({
      from: FROM,
      to: FROM + 3 * HOUR,
      freshUntil: FROM + 2 * HOUR,
      refreshAt: FROM + 3 * HOUR,
      timezone: "Europe/London",
      currency: "GBP",
      lastUpdated: Date.parse("2026-12-01T16:00:00Z"),
      nextUpdate: Date.parse("2026-12-02T11:00:00Z"),
      data: [
        [FROM, FROM + HOUR, 0.1, 1],
        [FROM + HOUR, FROM + 2 * HOUR, 0.2, 1],
        [FROM + 2 * HOUR, FROM + 3 * HOUR, 0.3, 0.8],
      ],
    });
  });

  it.each([
    ["says no next_update", {}],
    ["says one that is no time", { next_update: "soon" }],
  ])("has no next update when the answer %s", (_, overrides) => {
    const { next_update: _dropped, ...withoutNextUpdate } = price();
    const given: unknown[] = [];
    const kept = entryOf({ ...withoutNextUpdate, ...overrides }, { from: FROM, to: FROM + HOUR }, (nextUpdate) => (given.push(nextUpdate), { freshUntil: FROM, refreshAt: FROM + 1 }));
    expect([kept.nextUpdate, kept.freshUntil, kept.refreshAt, given]).toEqual([undefined, FROM, FROM + 1, [undefined]]);
  });

  it("keeps no intervals of an answer without data", () => {
    const { data: _dropped, ...withoutData } = price();
    expect(entryOf(withoutData as Price, { from: FROM, to: FROM + HOUR }, () => ({ freshUntil: FROM, refreshAt: FROM })).data).toEqual([]);
  });
});

describe("intervalsWithin", () => {
  it("gives the intervals overlapping [start, end), not those that only touch it, as fresh objects", () => {
    const kept = entry();
    const within = intervalsWithin(kept, FROM + HOUR, FROM + 2 * HOUR);
    expect(within).toEqual([{ start: new Date(FROM + HOUR), end: new Date(FROM + 2 * HOUR), value: 0.2, confidence: 1, forecast: false }]);
    within[0]!.value = 99;
    expect(intervalsWithin(kept, FROM + HOUR, FROM + 2 * HOUR)[0]!.value).toBe(0.2);
  });

  it("marks an interval with a confidence below 1 as a forecast, and cuts the first and the last to the window", () => {
    expect(intervalsWithin(entry(), FROM + 2.5 * HOUR, FROM + 2.6 * HOUR)).toEqual([
      { start: new Date(FROM + 2.5 * HOUR), end: new Date(FROM + 2.6 * HOUR), value: 0.3, confidence: 0.8, forecast: true },
    ]);
    expect(intervalsWithin(entry(), FROM + 0.25 * HOUR, FROM + 1.5 * HOUR).map(({ start, end }) => [start.getTime(), end.getTime()])).toEqual([
      [FROM + 0.25 * HOUR, FROM + HOUR],
      [FROM + HOUR, FROM + 1.5 * HOUR],
    ]);
  });
});

describe("parseEntry", () => {
  it("reads back what storedText wrote, with or without a next update", () => {
    expect(parseStored(storedText(entry()))).toEqual(entry());
    expect(parseStored(storedText(entry({ nextUpdate: undefined })))).toEqual(entry({ nextUpdate: undefined }));
  });

  const { nextUpdate: _dropped, ...withoutNextUpdate } = entry();
  const broken: Array<[string, string | undefined]> = [
    ["nothing", undefined],
    ["text that is not JSON", "{"],
    ["null", "null"],
    ["a number", "42"],
    ...(["from", "to", "freshUntil", "refreshAt", "lastUpdated"] as const).flatMap((field): Array<[string, string]> => [
      [`no ${field}`, JSON.stringify({ ...entry(), [field]: undefined })],
      [`a ${field} that is text`, JSON.stringify({ ...entry(), [field]: "1" })],
    ]),
    ["a next update that is text", JSON.stringify({ ...withoutNextUpdate, nextUpdate: "1" })],
    ["a next update of null", JSON.stringify({ ...withoutNextUpdate, nextUpdate: null })],
    ["no time zone", JSON.stringify({ ...entry(), timezone: 1 })],
    ["no currency", JSON.stringify({ ...entry(), currency: null })],
    ["data that is no list", JSON.stringify({ ...entry(), data: {} })],
    ["a row that is no list", JSON.stringify({ ...entry(), data: [{}] })],
    ["a row of three numbers", JSON.stringify({ ...entry(), data: [[1, 2, 3]] })],
    ["a row of five numbers", JSON.stringify({ ...entry(), data: [[1, 2, 3, 4, 5]] })],
    ["a row with text in it", JSON.stringify({ ...entry(), data: [[1, 2, "3", 4]] })],
    ["a bad row among good ones", JSON.stringify({ ...entry(), data: [[1, 2, 3, 4], [1, 2, 3]] })],
  ];
  it.each(broken)("gives no entry for %s", (_, text) => {
    expect(parseStored(text)).toBeUndefined();
  });

  it("gives an entry for a stored one whose next update is left out", () => {
    expect(parseStored(JSON.stringify(withoutNextUpdate))).toEqual({ ...withoutNextUpdate, nextUpdate: undefined });
  });
});
