/**
 * Meter data: 50,000 half-hourly readings (about three years of one meter),
 * submitted in batches of 10,000, two at a time, then checked until Flatpeak
 * has processed them; failed records come back with the reason.
 */
import { uploadMeterRecords } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const locationId = "loc_641b90b758fb8e6293716e40";
const halfHour = 30 * 60_000;
const firstReading = Date.UTC(2023, 0, 1);

function* readings() {
  for (let i = 0; i < 50_000; i++) {
    yield {
      location_id: locationId,
      units: "WH" as const,
      value: Math.round(250 + 40 * Math.sin(i / 4)),
      start_time: new Date(firstReading + i * halfHour).toISOString(),
      end_time: new Date(firstReading + (i + 1) * halfHour).toISOString(),
      record_reference_id: `MET-${i}`,
    };
  }
}

const result = await uploadMeterRecords(flatpeak, readings(), { waitForProcessing: true, pollIntervalMs: 1000, processingDeadlineMs: 3000 });
console.log(`${result.batches.length} batches, ${result.recordsAccepted} records accepted, ${result.failedRecords.length} failed`);
if (!result.processingComplete) console.log("still processing: check GET /meters/batch later, or wait longer");
for (const failure of result.failedRecords.slice(0, 5)) console.log(`  batch ${failure.batchId} record ${failure.record_num}: ${failure.error}`);
