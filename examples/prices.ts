/**
 * Prices for the next 24 hours of a location, shown in the location's own
 * time zone, with forecast intervals marked and the time to fetch again.
 */
import { unwrap } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const locationId = "loc_641b90b758fb8e6293716e40";

const now = new Date();
const prices = await unwrap(
  flatpeak.POST("/prices/{id}", {
    params: { path: { id: locationId } },
    body: { start_time: now.toISOString(), end_time: new Date(now.getTime() + 24 * 3_600_000).toISOString(), tariff_direction: "IMPORT" },
  }),
);

const local = new Intl.DateTimeFormat("en-GB", { timeZone: prices.location_timezone, dateStyle: "short", timeStyle: "short" });
for (const interval of prices.data ?? []) {
  const forecast = interval.price.confidence !== undefined && interval.price.confidence < 1 ? " (forecast)" : "";
  console.log(`${local.format(new Date(interval.valid_from))} → ${local.format(new Date(interval.valid_to))}  ${interval.price.value} ${prices.currency_code}/kWh${forecast}`);
}
console.log(prices.next_update ? `fetch again after ${local.format(new Date(prices.next_update))} (${prices.location_timezone})` : "no update announced");
