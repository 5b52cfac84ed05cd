/**
 * Type-check cost: wall time of `tsc --noEmit` on a consumer making 20 typed
 * calls, against the same compiler on an empty file; the median of several
 * runs each, and the ratio.
 *
 * @example
 * const row = await benchTypeCheck({ runs: 5 });
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const HERE = fileURLToPath(new URL("typecheck/", import.meta.url));
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** @param {string} file @returns {Promise<number>} milliseconds */
async function checkOnce(file) {
  const start = performance.now();
  await run(process.execPath, [TSC, "-p", `${HERE}tsconfig.${file}.json`]);
  return performance.now() - start;
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * @param {{ runs: number }} options
 * @returns {Promise<{ baselineMs: number; consumerMs: number; ratio: number }>}
 */
export async function benchTypeCheck({ runs }) {
  const times = { baseline: /** @type {number[]} */ ([]), consumer: /** @type {number[]} */ ([]) };
  for (let i = 0; i < runs; i++) {
    for (const file of /** @type {const} */ (["baseline", "consumer"])) times[file].push(await checkOnce(file));
  }
  const baselineMs = median(times.baseline);
  const consumerMs = median(times.consumer);
  return { baselineMs, consumerMs, ratio: consumerMs / baselineMs };
}
