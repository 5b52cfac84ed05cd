import { afterEach, describe, expect, it, vi } from "vitest";
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
async function meterServer(options: { delayMs?: number | ((n: number) => number); pollDelayMs?: number; answer?: (request: RecordedRequest, n: number) => [number, unknown] | undefined; status?: (id: string, polls: number) => unknown } = {}) {
  let inFlight = 0;
  let peak = 0;
  let batches = 0;
  const polls = new Map<string, number>();
  server = await startLocalServer(async (request, response) => {
    if (request.url.startsWith("/meters/batch")) {
      const id = new URL(request.url, "http://x").searchParams.get("batch_id") ?? "";
      polls.set(id, (polls.get(id) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, options.pollDelayMs ?? 0));
      return json(response, 200, options.status?.(id, polls.get(id) ?? 0) ?? { id, object: "meter_batch", records_accepted: 1, records_processed: 1 });
    }
    inFlight++;
    peak = Math.max(peak, inFlight);
    const n = ++batches;
    const delayMs = options.delayMs ?? 5;
    await new Promise((resolve) => setTimeout(resolve, typeof delayMs === "number" ? delayMs : delayMs(n)));
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
    expect(new Set(puts().map((request) => request.url))).toEqual(new Set(["/meters/interval"]));
  });

  it("sends nothing for no records", async () => {
    const { flatpeak } = await meterServer();
    expect(await uploadMeterRecords(flatpeak, [])).toEqual({ batches: [], recordsAccepted: 0, failedRecords: [], processingComplete: undefined });
    expect(server?.requests).toEqual([]);
  });

  it("accepts the largest batchSize and concurrency, and names the option it refuses", async () => {
    const { flatpeak } = await meterServer();
    await uploadMeterRecords(flatpeak, records(3), { batchSize: 10_000, concurrency: 64 });
    expect(puts()).toHaveLength(1);
    await expect(uploadMeterRecords(flatpeak, records(1), { concurrency: 0 })).rejects.toThrow(new TypeError("uploadMeterRecords: concurrency must be a whole number from 1 to 64, got 0."));
    await expect(uploadMeterRecords(flatpeak, records(1), { concurrency: 65 })).rejects.toThrow(/concurrency must be a whole number from 1 to 64, got 65/);
    await expect(uploadMeterRecords(flatpeak, records(1), { batchSize: 1.5 })).rejects.toThrow(/batchSize must be a whole number from 1 to 10000, got 1.5/);
  });

  it("starts no batch after one fails, whatever the concurrency", async () => {
    const { flatpeak } = await meterServer({ delayMs: (n) => (n === 1 ? 1 : 30), answer: (_request, n) => (n === 1 ? [422, { code: "account_disabled", message: "disabled" }] : undefined) });
    await expect(uploadMeterRecords(flatpeak, records(100), { batchSize: 10, concurrency: 2 })).rejects.toMatchObject({ code: "account_disabled" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(puts().length).toBeLessThanOrEqual(3);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an empty batch id", { id: "", object: "meter_batch" }],
    ["a batch id that is a number", { id: 7, object: "meter_batch" }],
  ])("refuses a batch answered with %s, saying why", async (_name, answer) => {
    const { flatpeak } = await meterServer({ answer: () => [200, answer] });
    await expect(uploadMeterRecords(flatpeak, records(1))).rejects.toMatchObject({
      kind: "invalid_response",
      method: "PUT",
      message: "PUT /meters/interval answered without a batch id, so the batch cannot be tracked",
    });
  });

  it("stops at once when aborted, while a batch is sent or a batch is polled", async () => {
    const sending = await meterServer({ delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const startedAt = performance.now();
    await expect(uploadMeterRecords(sending.flatpeak, records(1), { signal: controller.signal })).rejects.toMatchObject({ kind: "aborted" });
    await server?.close();
    const polling = await meterServer({ pollDelayMs: 5_000 });
    const again = new AbortController();
    setTimeout(() => again.abort(), 50);
    await expect(uploadMeterRecords(polling.flatpeak, records(1), { signal: again.signal, waitForProcessing: true })).rejects.toMatchObject({ kind: "aborted" });
    await server?.close();
    const cumulative = await meterServer({ delayMs: 5_000 });
    const third = new AbortController();
    setTimeout(() => third.abort(), 50);
    const readings = uploadCumulativeReadings(cumulative.flatpeak, { location_id: "loc_1", units: "KWH" }, [{ time: 1_721_991_392, value: 1 }], { signal: third.signal });
    await expect(readings).rejects.toMatchObject({ kind: "aborted" });
    expect(performance.now() - startedAt).toBeLessThan(3_000);
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
    const startedAt = performance.now();
    const result = await uploadMeterRecords(flatpeak, records(15), { batchSize: 10, waitForProcessing: true, pollIntervalMs: 10 });
    expect(performance.now() - startedAt).toBeLessThan(2_000);
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

  it("is not complete while any batch is not", async () => {
    const { flatpeak } = await meterServer({ status: (id) => ({ id, object: "meter_batch", records_accepted: 10, records_processed: id === "bat_1" ? 10 : 3 }) });
    const result = await uploadMeterRecords(flatpeak, records(20), { batchSize: 10, waitForProcessing: true, pollIntervalMs: 20, processingDeadlineMs: 100 });
    expect(result.batches.map((batch) => batch.complete)).toEqual([true, false]);
    expect(result.processingComplete).toBe(false);
  });

  it("polls every 5 seconds by default, and once when the deadline is now", async () => {
    const { flatpeak, polls } = await meterServer({ status: (id) => ({ id, object: "meter_batch", records_accepted: 10, records_processed: 3 }) });
    await uploadMeterRecords(flatpeak, records(10), { waitForProcessing: true, processingDeadlineMs: 300 });
    expect(polls.get("bat_1")).toBe(2);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      await uploadMeterRecords(flatpeak, records(10), { waitForProcessing: true, processingDeadlineMs: 0 });
      expect(polls.get("bat_2")).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a batch answered without an id", async () => {
    const { flatpeak } = await meterServer({ answer: () => [200, { object: "meter_batch" }] });
    await expect(uploadMeterRecords(flatpeak, records(1))).rejects.toMatchObject({ kind: "invalid_response" });
  });
});

describe("uploadMeterRecords with faulty sources, aborts and options", () => {
  /** An async generator over `count` records that says when its finally ran; `delayMs` before each record. */
  function tracked(count: number, delayMs = 0) {
    const state = { closed: false, read: 0 };
    async function* source() {
      try {
        for (let i = 0; i < count; i++) {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          state.read++;
          yield record(i);
        }
      } finally {
        state.closed = true;
      }
    }
    return { state, source: source() };
  }

  it("ends the source when a batch is refused, so its finally runs", async () => {
    const { flatpeak } = await meterServer({ answer: (_request, n) => (n === 2 ? [422, { code: "account_disabled", message: "disabled" }] : undefined) });
    const { state, source } = tracked(1_000);
    await expect(uploadMeterRecords(flatpeak, source, { batchSize: 10, concurrency: 1 })).rejects.toMatchObject({ code: "account_disabled" });
    await vi.waitFor(() => expect(state.closed).toBe(true));
    expect(state.read).toBeLessThan(40);
  });

  it("ends a sync iterator too, by its return()", async () => {
    const { flatpeak } = await meterServer({ answer: () => [422, { code: "account_disabled", message: "disabled" }] });
    let returned = 0;
    const items = records(100)[Symbol.iterator]();
    const source: Iterable<ReturnType<typeof record>> = { [Symbol.iterator]: () => ({ next: () => items.next(), return: () => (returned++, { done: true, value: undefined }) }) };
    await expect(uploadMeterRecords(flatpeak, source, { batchSize: 10, concurrency: 1 })).rejects.toMatchObject({ code: "account_disabled" });
    await vi.waitFor(() => expect(returned).toBe(1));
  });

  it("does not end a source that is done", async () => {
    const { flatpeak } = await meterServer();
    let returned = 0;
    const items = records(25)[Symbol.iterator]();
    const source: Iterable<ReturnType<typeof record>> = { [Symbol.iterator]: () => ({ next: () => items.next(), return: () => (returned++, { done: true, value: undefined }) }) };
    expect((await uploadMeterRecords(flatpeak, source, { batchSize: 10 })).recordsAccepted).toBe(25);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(returned).toBe(0);
  });

  it("stops at once when aborted while a slow endless source is read, and ends the source", async () => {
    const { flatpeak } = await meterServer();
    const { state, source } = tracked(Number.POSITIVE_INFINITY, 50);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const startedAt = performance.now();
    const failure = await uploadMeterRecords(flatpeak, source, { signal: controller.signal }).catch((error: unknown) => error);
    expect(performance.now() - startedAt).toBeLessThan(600);
    expect(failure).toMatchObject({ kind: "aborted", method: "PUT", url: "/meters/interval", message: "uploadMeterRecords was aborted" });
    expect(puts()).toHaveLength(0);
    await vi.waitFor(() => expect(state.closed).toBe(true));
  });

  it("stops at once when aborted between two polls of the processing wait", async () => {
    const { flatpeak, polls } = await meterServer({ status: (id) => ({ id, object: "meter_batch", records_accepted: 10, records_processed: 3 }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const startedAt = performance.now();
    const failure = await uploadMeterRecords(flatpeak, records(10), { waitForProcessing: true, pollIntervalMs: 6_000, signal: controller.signal }).catch((error: unknown) => error);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(failure).toMatchObject({ kind: "aborted", method: "GET", url: "/meters/batch", message: "uploadMeterRecords was aborted" });
    expect(polls.get("bat_1")).toBe(1);
  });

  it("rejects at once, sending nothing, when the signal is already aborted", async () => {
    const { flatpeak } = await meterServer();
    const { state, source } = tracked(100);
    const failure = await uploadCumulativeReadings(flatpeak, { location_id: "loc_1", units: "KWH" }, source as never, { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "aborted", method: "PUT", url: "/meters/cumulative/epoch", message: "uploadCumulativeReadings was aborted" });
    expect(server?.requests).toHaveLength(0);
    await vi.waitFor(() => expect(state.closed).toBe(true));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a poll interval that is not a number", { pollIntervalMs: Number.NaN }, "uploadMeterRecords: pollIntervalMs must be a whole number from 1 to 2147483647, got NaN."],
    ["a negative poll interval", { pollIntervalMs: -1 }, "uploadMeterRecords: pollIntervalMs must be a whole number from 1 to 2147483647, got -1."],
    ["a processing deadline that is not a number", { processingDeadlineMs: Number.NaN }, "uploadMeterRecords: processingDeadlineMs must be a whole number from 0 to 2147483647, got NaN."],
    ["a processing deadline given as text", { processingDeadlineMs: "60000" }, 'uploadMeterRecords: processingDeadlineMs must be a whole number from 0 to 2147483647, got "60000".'],
  ])("refuses %s before sending anything", async (_name, options, message) => {
    const { flatpeak } = await meterServer();
    await expect(uploadMeterRecords(flatpeak, records(1), options as never)).rejects.toThrow(new TypeError(message));
    expect(server?.requests).toHaveLength(0);
  });

  it("refuses records that are not an array or an iterable, saying what to pass", async () => {
    const { flatpeak } = await meterServer();
    for (const source of [undefined, 42, { length: 1 }]) {
      await expect(uploadMeterRecords(flatpeak, source as never)).rejects.toThrow(new TypeError("uploadMeterRecords: pass the records as an array or an (async) iterable, such as a generator reading them from your database."));
    }
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
    expect(puts().map((request) => request.url)).toEqual(["/meters/cumulative/epoch", "/meters/cumulative/epoch"]);
  });
});
