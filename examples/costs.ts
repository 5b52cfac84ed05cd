/**
 * Cost calculation: price one reading instantly, then report costs of stored
 * readings by period and by session.
 */
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const locationId = "loc_641b90b758fb8e6293716e40";

// One reading, priced without being stored.
const instant = await flatpeak.POST("/costs/instant", {
  params: { query: { non_persistent: true } },
  body: {
    location_id: locationId,
    units: "KWH",
    value: 7.4,
    start_time: "2025-01-15T01:00:00Z",
    end_time: "2025-01-15T02:00:00Z",
    energy_flow_direction: "INBOUND",
    tariff_direction: "IMPORT",
    session_reference_id: "CHARGE-2025-01-15",
  },
});
if (instant.error) throw new Error(`instant cost failed: ${instant.error.status} ${instant.error.code}`);
const { cost, energy } = instant.data.data;
console.log(`instant: ${energy.value} ${instant.data.energy_units} cost ${cost.value} ${instant.data.currency_code} (confidence ${cost.confidence})`);

// Stored readings over a month, summed per day.
const report = await flatpeak.POST("/costs/interval/{id}", {
  params: { path: { id: locationId }, query: { aggregation: "DAY", tariff_direction: "IMPORT" } },
  body: { start_time: "2025-01-01T00:00:00Z", end_time: "2025-02-01T00:00:00Z" },
});
if (report.error) throw new Error(`interval report failed: ${report.error.status}`);
const days = report.data.data ?? [];
const total = days.reduce((sum, item) => sum + item.cost.value, 0);
console.log(`January: ${days.length} day(s), ${total.toFixed(2)} ${report.data.currency_code ?? ""}`);

// Everything submitted with one session reference, e.g. a charging session.
const CHARGE_SESSION = "CHARGE-2025-01-15";
const session = await flatpeak.POST("/costs/session/{id}", { params: { path: { id: CHARGE_SESSION } } });
if (session.error) throw new Error(`session report failed: ${session.error.status}`);
console.log(`session ${session.data.object_id ?? CHARGE_SESSION}: ${session.data.data?.length ?? 0} record(s)`);
