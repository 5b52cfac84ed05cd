import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, isFlatpeakError, uploadCumulativeReadings, uploadMeterRecords } from "../../src/index.js";
import { json, startLocalServer, type LocalServer, type RecordedRequest } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const record = (i: number) => ({ location_id: "loc_1", units: "WH" as const, value: i, start_time: "2024-01-01T00:00:00Z", end_time: "2024-01-01T00:30:00Z", record_reference_id: `R${i}` });
const records = (count: number) => Array.from({ length: count }, (_, i) => record(i));

/** A meter API on loopback: batches get ids in order; `status` says how a batch looks when polled. */
async function meterServer(options: { delayMs?: number; answer?: (request: RecordedRequest, n: number) => [number, unknown] | undefined; status?: (id: string, polls: number) => unknown } = {}) {
  let inFlight = 0;
  let peak = 0;
  let batches = 0;
  const polls = new Map<string, number>();
  server = await startLocalServer(async (request, response) => {
    if (request.url.startsWith("/meters/batch")) {
      const id = new URL(request.url, "http://x").searchParams.get("batch_id") ?? "";
      polls.set(id, (polls.get(id) ?? 0) + 1);
      return json(response, 200, options.status?.(id, polls.get(id) ?? 0) ?? { id, object: "meter_batch", records_accepted: 1, records_processed: 1 });
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    const n = ++batches;
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    inFlight--;
    const custom = options.answer?.(request, n);
    if (custom) return json(response, custom[0], custom[1]);
    const count = request.url === "/meters/interval" ? (JSON.parse(request.body) as unknown[]).length : (JSON.parse(request.body) as { data: unknown[] }).data.length;
    json(response, 200, { id: `bat_${n}`, object: "meter_batch", records_submitted: count, records_accepted: count, records_processed: 0 });
  });
  return { flatpeak: createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }), peak: () => peak, polls };
}

const puts = () => (server?.requests ?? []).filter((request) => request.method === "PUT");

describe("uploadMeterRecords", () => {
  it("splits 25,000 records into batches of at most 10,000, two in flight at a time", async () => {
    const { flatpeak, peak } = await meterServer({ delayMs: 30 });
    const result = await uploadMeterRecords(flatpeak, records(25_000));
    expect(puts().map((request) => (JSON.parse(request.body) as unknown[]).length).sort((a, b) => b - a)).toEqual([10_000, 10_000, 5_000]);
    expect(peak()).toBe(2);
    expect(result.recordsAccepted).toBe(25_000);
    expect(result.batches.map((batch) => batch.records)).toEqual([10_000, 10_000, 5_000]);
    expect(result.failedRecords).toEqual([]);
  });

  it("honours batchSize and concurrency, and refuses values out of range", async () => {
    const { flatpeak, peak } = await meterServer({ delayMs: 20 });
    await uploadMeterRecords(flatpeak, records(100), { batchSize: 10, concurrency: 4 });
    expect(puts()).toHaveLength(10);
    expect(peak()).toBe(4);
    await expect(uploadMeterRecords(flatpeak, records(1), { batchSize: 10_001 })).rejects.toThrow(/batchSize must be a whole number from 1 to 10000/);
    await expect(uploadMeterRecords(flatpeak, records(1), { concurrency: 0 })).rejects.toThrow(TypeError);
  });

  it("reads an async iterable only as batches go out, so memory stays bounded", async () => {
    const { flatpeak } = await meterServer({ delayMs: 20 });
    let produced = 0;
    let aheadAtMost = 0;
    async function* stream() {
      for (let i = 0; i < 50_000; i++) {
        produced++;
        aheadAtMost = Math.max(aheadAtMost, produced - puts().length * 1000);
        yield record(i);
      }
    }
    const result = await uploadMeterRecords(flatpeak, stream(), { batchSize: 1000, concurrency: 2 });
    expect(result.recordsAccepted).toBe(50_000);
    expect(aheadAtMost).toBeLessThanOrEqual(3 * 1000);
  });

  it("retries a batch the server failed with 5xx, sending the same records", async () => {
    const { flatpeak } = await meterServer({ answer: (_request, n) => (n === 1 ? [503, { code: "unavailable" }] : undefined) });
    const result = await uploadMeterRecords(flatpeak, records(3));
    expect(result.recordsAccepted).toBe(3);
    expect(puts().map((request) => request.body)).toEqual([JSON.stringify(records(3)), JSON.stringify(records(3))]);
  });

  it("throws the refusal of a batch, and sends no further batch", async () => {
    const { flatpeak } = await meterServer({ answer: (_request, n) => (n === 2 ? [422, { code: "account_disabled", message: "disabled" }] : undefined) });
    const failure = await uploadMeterRecords(flatpeak, records(50), { batchSize: 10, concurrency: 1 }).catch((error: unknown) => error);
    expect(isFlatpeakError(failure, "account_disabled")).toBe(true);
    expect(puts()).toHaveLength(2);
  });

  it("waits until each batch is processed, and collects the records that failed", async () => {
    const { flatpeak, polls } = await meterServer({
      status: (id, poll) =>
        id === "bat_1"
          ? { id, object: "meter_batch", records_accepted: 10, records_processed: poll < 3 ? 2 : 8, failed_records: poll < 3 ? [] : [{ record_num: 4, error: "end_time before start_time" }, { record_num: 7, record_reference_id: "R6", error: "duplicate" }] }
          : { id, object: "meter_batch", records_accepted: 5, records_processed: 5 },
    });
    const result = await uploadMeterRecords(flatpeak, records(15), { batchSize: 10, waitForProcessing: true, pollIntervalMs: 10 });
    expect(polls.get("bat_1")).toBe(3);
    expect(result.recordsAccepted).toBe(15);
    expect(result.batches).toEqual([
      { id: "bat_1", records: 10, accepted: 10, processed: 8, complete: true },
      { id: "bat_2", records: 5, accepted: 5, processed: 5, complete: true },
    ]);
    expect(result.processingComplete).toBe(true);
    expect(result.failedRecords).toEqual([
      { batchId: "bat_1", record_num: 4, error: "end_time before start_time" },
      { batchId: "bat_1", record_num: 7, record_reference_id: "R6", error: "duplicate" },
    ]);
  });

  it("stops waiting at the processing deadline and says which batches are not done", async () => {
    const { flatpeak } = await meterServer({ status: (id) => ({ id, object: "meter_batch", records_accepted: 10, records_processed: 3 }) });
    const startedAt = performance.now();
    const result = await uploadMeterRecords(flatpeak, records(10), { waitForProcessing: true, pollIntervalMs: 20, processingDeadlineMs: 150 });
    expect(performance.now() - startedAt).toBeLessThan(1500);
    expect(result.processingComplete).toBe(false);
    expect(result.batches[0]).toMatchObject({ processed: 3, complete: false });
  });

  it("refuses a batch answered without an id", async () => {
    const { flatpeak } = await meterServer({ answer: () => [200, { object: "meter_batch" }] });
    await expect(uploadMeterRecords(flatpeak, records(1))).rejects.toMatchObject({ kind: "invalid_response" });
  });
});

describe("uploadCumulativeReadings", () => {
  it("batches the readings of one meter", async () => {
    const { flatpeak } = await meterServer();
    const readings = Array.from({ length: 12_000 }, (_, i) => ({ time: 1_721_991_392 + i * 60, value: i }));
    const result = await uploadCumulativeReadings(flatpeak, { location_id: "loc_1", units: "KWH" }, readings);
    expect(result.recordsAccepted).toBe(12_000);
    const bodies = puts().map((request) => JSON.parse(request.body) as { location_id: string; units: string; data: unknown[] });
    expect(bodies.map((body) => [body.location_id, body.units, body.data.length]).sort()).toEqual([["loc_1", "KWH", 10_000], ["loc_1", "KWH", 2_000]].sort());
  });
});
