/**
 * Request overhead: requests per second and p50/p99 latency of raw fetch,
 * plain openapi-fetch and flatpeak-client (token cached, retries on), side
 * by side in one run, for a small GET, a page of 100 items and a 1,000-record
 * meter submission; plus the small GET against a server that answers after
 * 20 ms, as a real one over the internet does.
 *
 * @example
 * const rows = await benchRequests({ timeMs: 1500 });
 */
import createClient from "openapi-fetch";
import { createFlatpeakClient } from "flatpeak-client";
import { Bench } from "tinybench";
import { startBenchServer } from "./server.mjs";

/** Calls of every contender before any is measured, so that none pays for warming up the shared HTTP stack. */
const WARM_UP_CALLS = 200;
const HEADERS = { Authorization: "Bearer bench-token", "Flatpeak-Version": "2025-09-14.anode" };
const RECORDS = Array.from({ length: 1000 }, (_, i) => ({
  location_id: "loc_641b90b758fb8e6293716e40",
  units: "WH",
  value: 200 + i,
  start_time: new Date(Date.UTC(2025, 0, 1) + i * 1_800_000).toISOString(),
  end_time: new Date(Date.UTC(2025, 0, 1) + (i + 1) * 1_800_000).toISOString(),
}));

/**
 * @param {string} baseUrl
 * @returns {Record<string, Record<string, () => Promise<unknown>>>} scenario → contender → one call
 */
function scenarios(baseUrl) {
  /** @param {string} url */
  const contenders = (url) => ({
    /** @type {import("openapi-fetch").Client<import("flatpeak-client").paths>} */
    plain: createClient({ baseUrl: url, headers: HEADERS }),
    client: createFlatpeakClient({ accountId: "acc_bench", apiKey: "key", baseUrl: url }),
  });
  const { plain, client } = contenders(baseUrl);
  const far = contenders(`${baseUrl}/slow`);
  const rawJson = (/** @type {string} */ path, /** @type {RequestInit} */ init = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { ...HEADERS, ...(init.body ? { "Content-Type": "application/json" } : {}) } }).then((r) => r.json());
  return {
    "GET one customer": {
      "raw fetch": () => rawJson("/customers/cus_1"),
      "openapi-fetch": () => plain.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
      "flatpeak-client": () => client.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
    },
    "GET a page of 100": {
      "raw fetch": () => rawJson("/customers?limit=100"),
      "openapi-fetch": () => plain.GET("/customers", { params: { query: { limit: 100 } } }),
      "flatpeak-client": () => client.GET("/customers", { params: { query: { limit: 100 } } }),
    },
    "GET one customer, server 20 ms away": {
      "raw fetch": () => rawJson("/slow/customers/cus_1"),
      "openapi-fetch": () => far.plain.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
      "flatpeak-client": () => far.client.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
    },
    "PUT 1,000 meter records": {
      "raw fetch": () => rawJson("/meters/interval", { method: "PUT", body: JSON.stringify(RECORDS) }),
      "openapi-fetch": () => plain.PUT("/meters/interval", { body: RECORDS }),
      "flatpeak-client": () => client.PUT("/meters/interval", { body: RECORDS }),
    },
  };
}

/**
 * @typedef {{ scenario: string; contender: string; opsPerSecond: number; p50Ms: number; p99Ms: number; ratio: number }} RequestRow
 */

/**
 * @param {{ timeMs: number }} options time per contender and scenario
 * @returns {Promise<RequestRow[]>}
 */
export async function benchRequests({ timeMs }) {
  const server = await startBenchServer();
  try {
    /** @type {RequestRow[]} */
    const rows = [];
    const all = scenarios(server.baseUrl);
    for (const contenders of Object.values(all)) for (const call of Object.values(contenders)) for (let i = 0; i < WARM_UP_CALLS; i++) await call();
    for (const [scenario, contenders] of Object.entries(all)) {
      const bench = new Bench({ time: timeMs, warmupTime: Math.min(500, timeMs / 2), throws: true });
      for (const [name, call] of Object.entries(contenders)) bench.add(name, call);
      await bench.run();
      const stats = bench.tasks.map((task) => {
        const result = /** @type {any} */ (task.result);
        return { contender: task.name, opsPerSecond: result.throughput.mean, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
      });
      const baseline = stats.find((s) => s.contender === "raw fetch")?.p50Ms ?? Number.NaN;
      for (const s of stats) rows.push({ scenario, ...s, ratio: s.p50Ms / baseline });
    }
    return rows;
  } finally {
    await server.close();
  }
}
