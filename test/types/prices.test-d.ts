/**
 * The prices entry's types: every tariff event invalidates, and a price
 * question takes only what the API does.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { createFlatpeakClient } from "../../src/index.js";
import { createPriceCache, type LocationPrices, type PriceQuestion } from "../../src/prices/index.js";
import type { TARIFF_EVENTS } from "../../src/prices/price-cache.js";
import type { FlatpeakEventType } from "../../src/webhooks/index.js";

describe("prices types", () => {
  it("listen to every tariff.* event type the spec documents", () => {
    expectTypeOf<Exclude<Extract<FlatpeakEventType, `tariff.${string}`>, (typeof TARIFF_EVENTS)[number]>>().toEqualTypeOf<never>();
    expectTypeOf<(typeof TARIFF_EVENTS)[number]>().toExtend<FlatpeakEventType>();
  });

  it("take a direction of the spec's and answer typed prices", () => {
    const prices = createPriceCache({} as ReturnType<typeof createFlatpeakClient>);
    expectTypeOf(prices.get).parameter(0).toEqualTypeOf<PriceQuestion>();
    expectTypeOf(prices.get).returns.resolves.toEqualTypeOf<LocationPrices>();
    // @ts-expect-error lower case is not a direction
    void prices.get({ locationId: "loc_1", end: 1, direction: "import" });
    // @ts-expect-error end is required
    void prices.get({ locationId: "loc_1" });
  });
});
