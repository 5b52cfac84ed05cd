/**
 * flatpeak-client/prices: price questions answered well — a cache of
 * `POST /prices/{id}` answers that honours their `next_update` and the
 * webhooks that say prices changed, and the cheapest contiguous window
 * over price intervals.
 *
 * @example
 * import { cheapestWindow, createPriceCache } from "flatpeak-client/prices";
 *
 * const prices = createPriceCache(flatpeak);
 * const { intervals } = await prices.get({ locationId, end: sevenAm });
 * const charge = cheapestWindow(intervals, { durationMinutes: 120, notAfter: sevenAm });
 */
export { cheapestWindow, type CheapestWindow, type CheapestWindowOptions } from "./cheapest-window.js";
export { priceIntervals, type PriceInterval } from "./intervals.js";
export { createPriceCache, type LocationPrices, type PriceCache, type PriceCacheOptions, type PriceQuestion } from "./price-cache.js";
