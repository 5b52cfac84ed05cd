/**
 * Plans an EV charge: the cheapest two hours in one piece between now and
 * 07:00 at the location, in its own time zone, from prices that the cache
 * keeps until they change — so asking again costs no request.
 */
import { cheapestWindow, createPriceCache } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const HOUR_MS = 3_600_000;
const QUARTER_MS = 15 * 60_000;
const locationId = "loc_641b90b758fb8e6293716e40";
const chargeMinutes = 120;

/** The first `hh:mm` at the location after `from`: every time zone's offset is a whole number of quarter hours. */
function nextLocal(time: string, timeZone: string, from: number): Date {
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  for (let at = Math.ceil(from / QUARTER_MS) * QUARTER_MS; ; at += QUARTER_MS) if (clock.format(at) === time) return new Date(at);
}

const prices = createPriceCache(clientFromEnv());
const now = Date.now();
const nextDay = await prices.get({ locationId, end: now + 24 * HOUR_MS });
const departure = nextLocal("07:00", nextDay.timezone, now);
const local = new Intl.DateTimeFormat("en-GB", { timeZone: nextDay.timezone, dateStyle: "short", timeStyle: "short" });

const charge = cheapestWindow(nextDay.intervals, { durationMinutes: chargeMinutes, notBefore: now, notAfter: departure });
if (charge) {
  console.log(`charge from ${local.format(charge.start)} to ${local.format(charge.end)} at ${charge.average.toFixed(4)} ${nextDay.currency}/kWh on average`);
} else {
  const update = nextDay.nextUpdate && nextDay.nextUpdate.getTime() > now ? `after ${local.format(nextDay.nextUpdate)}` : "later";
  console.log(`no ${chargeMinutes / 60} hours of prices in one piece before ${local.format(departure)} (${nextDay.timezone}) yet; ask again ${update}`);
}

const again = await prices.get({ locationId, end: departure });
console.log(`asked again up to departure: ${again.fromCache ? "answered from the cache, no request" : "fetched again"}`);
