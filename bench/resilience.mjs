/**
 * What the hot path's resilience costs: a POST for prices that is retried
 * after a passing 503 (the spec marks it retry-safe) against the same POST
 * answered at once; and 1,000 calls started together, sent as they come or
 * through `callLimits({ maxConcurrency: 16 })`. Same loopback server process
 * as the request benchmark.
 *
 * @example
 * const rows = await benchResilience({ rounds: 5 });
 */
import { createFlatpeakClient } from "flatpeak-client";
import { callLimits } from "flatpeak-client/limits";
import { measure, median, startServerProcess } from "./requests.mjs";

const WINDOW = { start_time: "2025-01-01T00:00:00Z", end_time: "2025-01-01T01:00:00Z", tariff_direction: /** @type {const} */ ("IMPORT") };

/**
 * @typedef {{ case: string; p50Ms: number; p99Ms: number; cpuMicros: number; totalMs?: number }} ResilienceRow
 */

/**
 * @param {{ rounds: number; calls: number }} options
 * @returns {Promise<ResilienceRow[]>}
 */
export async function benchResilience({ rounds, calls }) {
  const server = await startServerProcess();
  try {
    const client = createFlatpeakClient({ accountId: "acc_bench", apiKey: "key", baseUrl: server.baseUrl });
    const limited = createFlatpeakClient({ accountId: "acc_bench", apiKey: "key", baseUrl: server.baseUrl, use: [callLimits({ maxConcurrency: 16 })] });
    let flaky = 0;
    const price = (/** @type {string} */ id) => client.POST("/prices/{id}", { params: { path: { id } }, body: WINDOW });
    const cases = {
      "POST /prices/{id}, answered at once": () => price("loc_1"),
      "POST /prices/{id}, retried after a 503": () => price(`flaky_${++flaky}`),
    };
    for (const call of Object.values(cases)) for (let i = 0; i < 20; i++) await call();
    /** @type {ResilienceRow[]} */
    const rows = [];
    for (const [name, call] of Object.entries(cases)) {
      const runs = [];
      for (let round = 0; round < rounds; round++) runs.push(await measure(call, calls, 1));
      rows.push({ case: name, p50Ms: median(runs.map((run) => run.p50)), p99Ms: median(runs.map((run) => run.p99)), cpuMicros: median(runs.map((run) => run.cpuMicros)) });
    }
    for (const [name, flatpeak] of /** @type {const} */ ([["1,000 calls at once", client], ["1,000 calls through maxConcurrency: 16", limited]])) {
      const get = () => flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
      await get();
      const runs = [];
      for (let round = 0; round < rounds; round++) {
        const startedAt = performance.now();
        runs.push({ ...(await measure(get, 1_000, 1_000)), totalMs: performance.now() - startedAt });
      }
      rows.push({ case: name, p50Ms: median(runs.map((run) => run.p50)), p99Ms: median(runs.map((run) => run.p99)), cpuMicros: median(runs.map((run) => run.cpuMicros)), totalMs: median(runs.map((run) => run.totalMs)) });
    }
    return rows;
  } finally {
    await server.stop();
  }
}
