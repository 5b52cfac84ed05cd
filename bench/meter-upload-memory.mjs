/**
 * Meter uploads of 1,000,000 records: peak heap retained while
 * `uploadMeterRecords` reads them from an async generator, against building
 * the same records into one array first. Each mode runs in its own Node.js
 * process (with `--expose-gc`).
 *
 * @example
 * const row = await benchMeterUploadMemory();
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFlatpeakClient, uploadMeterRecords } from "flatpeak-client";
import { startBenchServer } from "./server.mjs";

const RECORDS = 1_000_000;
const SAMPLE_EVERY = 50_000;
const START = Date.UTC(2020, 0, 1);

/** @param {number} i */
function record(i) {
  return {
    location_id: "loc_641b90b758fb8e6293716e40",
    units: /** @type {const} */ ("WH"),
    value: 200 + (i % 100),
    start_time: new Date(START + i * 1_800_000).toISOString(),
    end_time: new Date(START + (i + 1) * 1_800_000).toISOString(),
  };
}

function retainedHeap() {
  /** @type {any} */ (globalThis).gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs in the child.
 * @param {"stream" | "array"} mode
 */
async function measure(mode) {
  const server = await startBenchServer();
  const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
  const before = retainedHeap();
  let peak = before;
  async function* stream() {
    for (let i = 0; i < RECORDS; i++) {
      if (i % SAMPLE_EVERY === 0) peak = Math.max(peak, retainedHeap());
      yield record(i);
    }
  }
  const source = mode === "stream" ? stream() : Array.from({ length: RECORDS }, (_, i) => record(i));
  if (mode === "array") peak = Math.max(peak, retainedHeap());
  const startedAt = performance.now();
  const result = await uploadMeterRecords(flatpeak, source);
  const seconds = (performance.now() - startedAt) / 1000;
  await server.close();
  return { batches: result.batches.length, peakBytes: peak - before, seconds };
}

/** @returns {Promise<{ records: number; streamBytes: number; arrayBytes: number; ratio: number; streamSeconds: number }>} */
export async function benchMeterUploadMemory() {
  const self = fileURLToPath(import.meta.url);
  /** @param {string} mode */
  const child = async (mode) => JSON.parse((await promisify(execFile)(process.execPath, ["--expose-gc", self, mode], { maxBuffer: 1 << 20 })).stdout);
  const stream = await child("stream");
  const array = await child("array");
  if (stream.batches !== RECORDS / 10_000 || array.batches !== RECORDS / 10_000) throw new Error(`expected ${RECORDS / 10_000} batches, got ${stream.batches} and ${array.batches}`);
  return { records: RECORDS, streamBytes: stream.peakBytes, arrayBytes: array.peakBytes, ratio: array.peakBytes / Math.max(1, stream.peakBytes), streamSeconds: stream.seconds };
}

const mode = process.argv[2];
if (mode === "stream" || mode === "array") console.log(JSON.stringify(await measure(mode)));
