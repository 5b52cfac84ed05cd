/**
 * cheapestWindow: the one contiguous cheapest window over price intervals,
 * checked against a brute-force search at minute resolution on random
 * intervals, and on the nights a DST change shortens or lengthens.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cheapestWindow } from "../../src/prices/index.js";

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 2);
const at = (minute: number) => new Date(T0 + minute * MINUTE);
const span = (from: number, to: number, value: number) => ({
  start: at(from),
  end: at(to),
  value,
});

/** Every whole-minute start, every minute inside an interval: the lowest total, earliest first; `undefined` when none fits. */
function bruteForce(intervals: Array<{ from: number; to: number; value: number }>, duration: number, notBefore: number, notAfter: number) {
  const priceAt = new Map<number, number>();
  for (const { from, to, value } of intervals) for (let minute = from; minute < to; minute++) priceAt.set(minute, value);
  let best: { start: number; total: number } | undefined;
  for (let start = notBefore; start + duration <= notAfter; start++) {
    let total = 0;
    let covered = true;
    for (let minute = start; minute < start + duration && covered; minute++) {
      const price = priceAt.get(minute);
      if (price === undefined) covered = false;
      else total += price;
    }
    if (covered && (best === undefined || total < best.total)) best = { start, total };
  }
  return best;
}

/** Random intervals on a minute grid: lengths and gaps from 0 (a gap) to an hour, whole-number prices (so that totals are exact). */
const intervalsArbitrary = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
      length: fc.integer({ min: 1, max: 90 }),
      value: fc.integer({ min: -20, max: 50 }),
    }),
    { minLength: 1, maxLength: 12 }
  )
  .map((parts) => {
    let cursor = 0;
    return parts.map(({ gap, length, value }) => {
      const from = cursor + gap;
      cursor = from + length;
      return { from, to: cursor, value };
    });
  });

describe("cheapestWindow", () => {
  it("finds the window a brute-force search over every minute finds, and the earliest of equally cheap ones", () => {
    fc.assert(
      fc.property(intervalsArbitrary, fc.integer({ min: 1, max: 240 }), fc.integer({ min: -30, max: 300 }), fc.integer({ min: 0, max: 900 }), (intervals, duration, notBefore, length) => {
        const notAfter = notBefore + length;
        const expected = bruteForce(intervals, duration, notBefore, notAfter);
        const shuffled = [...intervals].reverse().map(({ from, to, value }) => span(from, to, value));
        const found = cheapestWindow(shuffled, {
          durationMinutes: duration,
          notBefore: at(notBefore),
          notAfter: at(notAfter).toISOString(),
        });
        if (expected === undefined) return found === undefined;
        expect(found).toEqual({
          start: at(expected.start),
          end: at(expected.start + duration),
          average: expected.total / duration,
        });
        return true;
      }),
      { numRuns: 400 }
    );
  });

  it("gives the average per unit of time, so that a window's average is a price", () => {
    const found = cheapestWindow([span(0, 30, 10), span(30, 60, 20), span(60, 90, 40)], { durationMinutes: 60 });
    expect(found).toEqual({ start: at(0), end: at(60), average: 15 });
  });

  const local = (instant: Date | undefined, timeZone = "Europe/London") =>
    instant &&
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      dateStyle: "short",
      timeStyle: "short",
    }).format(instant);
  /** Hourly intervals from `first` (UTC), priced by local hour in Europe/London. */
  const hourlyByLocalHour = (first: string, hours: number, priceOfLocalHour: (hour: number) => number) =>
    Array.from({ length: hours }, (_, i) => {
      const start = new Date(Date.parse(first) + i * 3_600_000);
      const hour = Number(
        new Intl.DateTimeFormat("en-GB", {
          timeZone: "Europe/London",
          hour: "2-digit",
          hourCycle: "h23",
        }).format(start)
      );
      return {
        start,
        end: new Date(start.getTime() + 3_600_000),
        value: priceOfLocalHour(hour),
      };
    });

  it("measures the window in real time on the night clocks go forward, when 00:00–07:00 local is six hours", () => {
    // 29 March 2026, Europe/London: 01:00 GMT becomes 02:00 BST. Cheap from 00:00 to 03:00 local: two real hours.
    const intervals = hourlyByLocalHour("2026-03-29T00:00:00Z", 6, (hour) => (hour < 3 ? 10 : 30));
    expect(intervals.map(({ start }) => local(start))).toEqual(["29/03/2026, 00:00", "29/03/2026, 02:00", "29/03/2026, 03:00", "29/03/2026, 04:00", "29/03/2026, 05:00", "29/03/2026, 06:00"]);
    const found = cheapestWindow(intervals, {
      durationMinutes: 150,
      notAfter: "2026-03-29T07:00:00+01:00",
    });
    expect([local(found?.start), local(found?.end)]).toEqual(["29/03/2026, 00:00", "29/03/2026, 03:30"]);
    expect(found?.average).toBeCloseTo((10 * 120 + 30 * 30) / 150, 12);
  });

  it("takes both 01:00s of the night clocks go back as the two hours they are", () => {
    // 25 October 2026, Europe/London: 02:00 BST becomes 01:00 GMT, so local 01:00–02:00 happens twice.
    const intervals = hourlyByLocalHour("2026-10-24T23:00:00Z", 5, (hour) => (hour === 1 ? 5 : 20));
    expect(intervals.map(({ start }) => local(start))).toEqual(["25/10/2026, 00:00", "25/10/2026, 01:00", "25/10/2026, 01:00", "25/10/2026, 02:00", "25/10/2026, 03:00"]);
    const found = cheapestWindow(intervals, { durationMinutes: 120 });
    expect(found).toEqual({
      start: new Date("2026-10-25T00:00:00Z"),
      end: new Date("2026-10-25T02:00:00Z"),
      average: 5,
    });
  });

  it("starts and ends inside intervals when that is cheapest, never across a gap", () => {
    const intervals = [span(0, 60, 30), span(60, 90, 0), span(90, 120, 30), span(150, 300, 1)];
    expect(cheapestWindow(intervals, { durationMinutes: 40 })).toEqual({
      start: at(150),
      end: at(190),
      average: 1,
    });
    expect(cheapestWindow(intervals, { durationMinutes: 40, notAfter: at(140) })).toEqual({ start: at(50), end: at(90), average: 7.5 });
    expect(cheapestWindow(intervals, { durationMinutes: 130, notAfter: at(250) })).toBeUndefined();
    expect(
      cheapestWindow(intervals, {
        durationMinutes: 2.5,
        notBefore: at(65).getTime(),
      })
    ).toEqual({
      start: at(65),
      end: new Date(at(65).getTime() + 150_000),
      average: 0,
    });
  });

  it("takes windows whose totals differ only by rounding as equally cheap, and gives the earliest, for large and negative prices alike", () => {
    for (const value of [1_000, -1_000]) {
      const intervals = [span(0, 60, value), span(60, 120, value * (1 - 1e-14 * Math.sign(value)))];
      expect(cheapestWindow(intervals, { durationMinutes: 60 })?.start).toEqual(at(0));
    }
    expect(cheapestWindow([span(0, 60, 2), span(60, 120, 1.9)], { durationMinutes: 60 })?.start).toEqual(at(60));
  });

  it("fits a window exactly as long as the intervals", () => {
    expect(cheapestWindow([span(0, 60, 2), span(60, 120, 1)], { durationMinutes: 120 })).toEqual({ start: at(0), end: at(120), average: 1.5 });
    expect(cheapestWindow([span(0, 60, 2), span(60, 120, 1)], { durationMinutes: 60, notBefore: at(30), notAfter: at(90) })).toEqual({ start: at(30), end: at(90), average: 1.5 });
  });

  it("answers undefined for no intervals, and refuses what cannot be priced", () => {
    expect(cheapestWindow([], { durationMinutes: 30 })).toBeUndefined();
    expect(() => cheapestWindow([span(0, 60, 1), span(30, 90, 2)], { durationMinutes: 30 })).toThrow(
      new TypeError(`cheapestWindow: two intervals overlap at ${at(30).toISOString()}; each moment may have one price.`)
    );
    expect(() => cheapestWindow([span(60, 60, 1)], { durationMinutes: 30 })).toThrow(new TypeError("cheapestWindow: intervals[0] needs a start before its end and a finite value."));
    expect(() =>
      cheapestWindow([span(0, 60, 1), span(60, 90, Number.NaN)], {
        durationMinutes: 30,
      })
    ).toThrow("cheapestWindow: intervals[1] needs a start before its end and a finite value.");
    expect(() =>
      cheapestWindow([{ start: "yesterday", end: at(1), value: 1 } as never], {
        durationMinutes: 30,
      })
    ).toThrow('cheapestWindow: intervals[0].start must be a Date, an RFC 3339 string or epoch milliseconds, got "yesterday".');
    expect(() => cheapestWindow([null as never], { durationMinutes: 30 })).toThrow("cheapestWindow: intervals[0] needs a start before its end and a finite value.");
    expect(() => cheapestWindow("soon" as never, { durationMinutes: 30 })).toThrow(new TypeError("cheapestWindow: pass the price intervals as an array, e.g. the intervals of a price answer."));
    for (const durationMinutes of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, "120"]) {
      expect(() => cheapestWindow([span(0, 60, 1)], { durationMinutes } as never)).toThrow(`cheapestWindow: durationMinutes must be a positive number of minutes, got ${String(durationMinutes)}.`);
    }
    expect(() => cheapestWindow([span(0, 60, 1)], undefined as never)).toThrow("cheapestWindow: pass an object of { durationMinutes, notBefore, notAfter }.");
    expect(() => cheapestWindow([span(0, 60, 1)], {} as never)).toThrow("cheapestWindow: durationMinutes must be a positive number of minutes, got undefined.");
    expect(() =>
      cheapestWindow([span(0, 60, 1)], {
        durationMinutes: 30,
        notAfter: new Date(Number.NaN),
      })
    ).toThrow("cheapestWindow: notAfter must be a Date, an RFC 3339 string or epoch milliseconds, got an invalid Date.");
    expect(() =>
      cheapestWindow([span(0, 60, 1)], {
        durationMinutes: 30,
        notBefore: null as never,
      })
    ).toThrow("cheapestWindow: notBefore must be a Date, an RFC 3339 string or epoch milliseconds, got null.");
  });
  it("refuses an interval without a start or an end, or ending before it starts, naming the interval and the field", () => {
    const refused = "cheapestWindow: intervals[1] needs a start before its end and a finite value.";
    expect(() => cheapestWindow([span(0, 60, 1), { start: at(60), value: 1 } as never], { durationMinutes: 30 })).toThrow(refused);
    expect(() => cheapestWindow([span(0, 60, 1), { end: at(90), value: 1 } as never], { durationMinutes: 30 })).toThrow(refused);
    expect(() => cheapestWindow([span(0, 60, 1), span(90, 60, 1)], { durationMinutes: 30 })).toThrow(refused);
    expect(() => cheapestWindow([span(0, 60, 1), { start: at(60), end: "later", value: 1 } as never], { durationMinutes: 30 })).toThrow(
      'cheapestWindow: intervals[1].end must be a Date, an RFC 3339 string or epoch milliseconds, got "later".'
    );
  });
});

