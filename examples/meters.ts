/**
 * Meter submission: send a day of half-hourly readings in one batch, check
 * how the batch was processed, and send register (cumulative) readings.
 */
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const locationId = "loc_641b90b758fb8e6293716e40";
const dayStart = Date.parse("2025-01-15T00:00:00Z");
const halfHour = 30 * 60 * 1000;

// 48 interval records; up to 10,000 fit in one request. PUT is idempotent,
// so the client retries it safely after a network error or a 5xx.
const records = Array.from({ length: 48 }, (_, i) => ({
  location_id: locationId,
  units: "WH" as const,
  value: 250 + 40 * Math.sin(i / 4),
  start_time: new Date(dayStart + i * halfHour).toISOString(),
  end_time: new Date(dayStart + (i + 1) * halfHour).toISOString(),
  record_reference_id: `MET-${i}`,
}));
const submitted = await flatpeak.PUT("/meters/interval", { body: records });
if (submitted.error) throw new Error(`submission failed: ${submitted.error.status} ${submitted.error.code}`);
const batchId = submitted.data.id;
if (batchId === undefined) throw new Error("the submission answered without a batch id");
console.log(`batch ${batchId}: ${submitted.data.records_submitted} submitted`);

const status = await flatpeak.GET("/meters/batch", { params: { query: { batch_id: batchId } } });
if (status.error) throw new Error(`status failed: ${status.error.status}`);
const { records_accepted, records_processed, failed_records = [] } = status.data;
console.log(`accepted ${records_accepted}, processed ${records_processed}, failed ${failed_records.length}`);
for (const failure of failed_records) console.log(`  record ${failure.record_num}: ${failure.error}`);

// Register readings: running totals with Unix timestamps.
const cumulative = await flatpeak.PUT("/meters/cumulative/epoch", {
  body: {
    location_id: locationId,
    units: "KWH",
    data: [
      { time: dayStart / 1000, value: 10_512.4 },
      { time: dayStart / 1000 + 86_400, value: 10_524.9 },
    ],
  },
});
console.log(`cumulative batch: HTTP ${cumulative.response.status}`);
