/**
 * Scheduling: an EV that needs 37.2 kWh by tomorrow morning (schedule by
 * amount), and a switched load, such as a water heater, that needs two
 * cheapest hours (schedule by duration). A schedule by amount plans devices
 * that exist at the location, so the charger is registered first
 * (`ensureDevice`, which finds it again on every later run).
 */
import { ensureDevice, unwrap } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const locationId = "loc_641b90b758fb8e6293716e40";
const charger = await ensureDevice(flatpeak, { reference_id: "EVSE-12", location_id: locationId });
const pluggedIn = new Date();
const readyBy = new Date(pluggedIn.getTime() + 12 * 3_600_000);

const charging = await unwrap(
  flatpeak.POST("/schedules/amount/{id}", {
    params: { path: { id: locationId } },
    body: {
      max_power: { units: "KW", value: 11 },
      data: [
        {
          device_id: charger.id,
          tariff_direction: "IMPORT",
          start_time: pluggedIn.toISOString(),
          end_time: readyBy.toISOString(),
          max_power: { units: "KW", value: 7.4 },
          energy: { units: "KWH", value: 37.2 },
        },
      ],
    },
  }),
);
for (const device of charging.data) {
  for (const slot of device.schedule) console.log(`charge ${device.device_id} ${slot.start_time} → ${slot.end_time} at ${slot.power.value} ${slot.power.units}`);
}
console.log(`charging costs ${charging.cost.value} ${charging.currency_code}, saving ${charging.savings.value}`);

const heater = await unwrap(
  flatpeak.POST("/schedules/duration/{id}", {
    params: { path: { id: locationId } },
    body: { start_time: pluggedIn.toISOString(), end_time: readyBy.toISOString(), segment: "LOW", duration: 120, tariff_direction: "IMPORT" },
  }),
);
for (const slot of heater.data) console.log(`heat water ${slot.start_time} → ${slot.end_time}, about ${slot.price.average} ${heater.currency_code}/kWh`);
