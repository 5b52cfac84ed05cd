/**
 * The README's charging snippet as written — `prices.get({ locationId, end })`
 * then `cheapestWindow(intervals, { durationMinutes, notAfter: end })` — never
 * plans a window that has already begun: property-tested over random
 * moments inside half-hour intervals, windows and durations, on the
 * in-process mock's prices.
 */
import fc from "fast-check";
import { afterEach, expect, it, vi } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { cheapestWindow, createPriceCache } from "../../src/prices/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";

afterEach(() => {
  vi.useRealTimers();
});

const DAY = Date.parse("2026-12-02T00:00:00Z");

it("gives no window that starts before the question's start, now by default or given", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 24 * 60 - 1 }),
      fc.integer({ min: 1, max: 24 * 60 }),
      fc.integer({ min: 1, max: 6 * 60 }),
      fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
      async (minute, windowMinutes, durationMinutes, startsLaterBy) => {
        vi.useFakeTimers({ toFake: ["Date"], now: DAY + minute * 60_000 + 17_000 });
        const flatpeak = createFlatpeakClient({ accountId: "acc_1", apiKey: "sk_test_WINDOW", fetch: createMockFlatpeak().fetch, maxRetries: 0 });
        const prices = createPriceCache(flatpeak);
        const start = startsLaterBy === undefined ? undefined : Date.now() + startsLaterBy * 60_000;
        const end = (start ?? Date.now()) + windowMinutes * 60_000;
        const { intervals } = await prices.get({ locationId: "loc_1", ...(start === undefined ? {} : { start }), end });
        const charge = cheapestWindow(intervals, { durationMinutes, notAfter: end });
        expect(intervals[0]?.start.getTime()).toBe(start ?? Date.now());
        expect(intervals.at(-1)?.end.getTime()).toBe(end);
        if (charge) expect(charge.start.getTime()).toBeGreaterThanOrEqual(start ?? Date.now());
        expect(charge === undefined).toBe(durationMinutes > windowMinutes);
        vi.useRealTimers();
      },
    ),
    { numRuns: 200 },
  );
});
