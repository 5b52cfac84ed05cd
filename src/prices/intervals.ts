import type { components } from "../../generated/flatpeak.js";

type Price = components["schemas"]["Price"];

/**
 * One price interval: from `start` (inclusive) to `end` (exclusive), `value`
 * per kWh in the location's currency (major units), and Flatpeak's
 * `confidence` in it; `forecast` is true when it is below 1, for a price
 * Flatpeak forecast because the actual one is not published yet.
 *
 * @example
 * const interval: PriceInterval = { start: new Date("2026-12-02T01:00:00Z"), end: new Date("2026-12-02T01:30:00Z"), value: 0.1234, confidence: 1, forecast: false };
 */
export interface PriceInterval {
  start: Date;
  end: Date;
  value: number;
  confidence: number;
  forecast: boolean;
}

/**
 * The intervals of a `POST /prices/{id}` answer, in time order.
 *
 * @example
 * const intervals = priceIntervals(await unwrap(flatpeak.POST("/prices/{id}", { params, body })));
 */
export function priceIntervals(price: Pick<Price, "data">): PriceInterval[] {
  return (price.data ?? [])
    .map(({ valid_from, valid_to, price: { value, confidence } }) => ({
      start: new Date(valid_from),
      end: new Date(valid_to),
      value,
      confidence,
      forecast: confidence < 1,
    }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
