/**
 * priceIntervals: a price answer as intervals in time order, forecasts marked.
 */
import { describe, expect, it } from "vitest";
import { priceIntervals } from "../../src/prices/index.js";

const slot = (from: string, to: string, value: number, confidence: number) => ({ valid_from: from, valid_to: to, price: { value, confidence } });

describe("priceIntervals", () => {
  it("turns each slot into an interval with dates, sorted by start, whatever order the answer had", () => {
    const intervals = priceIntervals({
      data: [slot("2026-12-02T01:00:00Z", "2026-12-02T01:30:00Z", 0.2, 1), slot("2026-12-02T00:30:00Z", "2026-12-02T01:00:00Z", 0.1, 1), slot("2026-12-02T01:30:00Z", "2026-12-02T02:00:00Z", 0.3, 0.8)],
    });
    expect(intervals).toEqual([
      { start: new Date("2026-12-02T00:30:00Z"), end: new Date("2026-12-02T01:00:00Z"), value: 0.1, confidence: 1, forecast: false },
      { start: new Date("2026-12-02T01:00:00Z"), end: new Date("2026-12-02T01:30:00Z"), value: 0.2, confidence: 1, forecast: false },
      { start: new Date("2026-12-02T01:30:00Z"), end: new Date("2026-12-02T02:00:00Z"), value: 0.3, confidence: 0.8, forecast: true },
    ]);
  });

  it("marks as a forecast only a confidence below 1", () => {
    const forecasts = priceIntervals({ data: [slot("2026-12-02T00:00:00Z", "2026-12-02T00:30:00Z", 0.1, 0.999), slot("2026-12-02T00:30:00Z", "2026-12-02T01:00:00Z", 0.1, 1)] }).map((interval) => interval.forecast);
    expect(forecasts).toEqual([true, false]);
  });

  it("gives no intervals for an answer without data", () => {
    expect(priceIntervals({})).toEqual([]);
  });
});
