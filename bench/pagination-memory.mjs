/**
 * Pagination over 10,000 items: peak retained heap while iterating with
 * `paginate()` against collecting the same items into one array. Each mode
 * runs in its own Node.js process (with `--expose-gc`) so neither disturbs the
 * other's heap.
 *
 * @example
 * const row = await benchPaginationMemory();
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFlatpeakClient, paginate } from "flatpeak-client";
import { startBenchServer } from "./server.mjs";

const ITEMS = 10_000;
const PAGE = 100;
const SAMPLE_EVERY = 500;

/** Heap in use after a full collection. */
function retainedHeap() {
  /** @type {any} */ (globalThis).gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs in the child: walks or collects the list, reporting the peak heap
 * retained above what was in use before.
 * @param {"iterate" | "collect"} mode
 */
async function measure(mode) {
  const server = await startBenchServer({ listLength: ITEMS });
  const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
  const list = () => paginate(flatpeak, "/customers", { params: { query: { limit: PAGE } } });
  await list().toArray({ limit: PAGE });
  const before = retainedHeap();
  let peak = before;
  let count = 0;
  if (mode === "iterate") {
    for await (const _customer of list()) {
      if (++count % SAMPLE_EVERY === 0) peak = Math.max(peak, retainedHeap());
    }
  } else {
    const all = await list().toArray({ limit: ITEMS });
    count = all.length;
    peak = Math.max(peak, retainedHeap());
  }
  await server.close();
  return { count, peakBytes: peak - before };
}

/** @returns {Promise<{ items: number; iterateBytes: number; collectBytes: number; ratio: number }>} */
export async function benchPaginationMemory() {
  const self = fileURLToPath(import.meta.url);
  /** @param {string} mode */
  const child = async (mode) => JSON.parse((await promisify(execFile)(process.execPath, ["--expose-gc", self, mode])).stdout);
  const iterate = await child("iterate");
  const collect = await child("collect");
  if (iterate.count !== ITEMS || collect.count !== ITEMS) throw new Error(`expected ${ITEMS} items, got ${iterate.count} and ${collect.count}`);
  return { items: ITEMS, iterateBytes: iterate.peakBytes, collectBytes: collect.peakBytes, ratio: collect.peakBytes / Math.max(1, iterate.peakBytes) };
}

const mode = process.argv[2];
if (mode === "iterate" || mode === "collect") console.log(JSON.stringify(await measure(mode)));
