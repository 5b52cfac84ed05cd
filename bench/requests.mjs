/**
 * Request overhead, measured fairly: the loopback server runs in its own
 * process; every contender makes the same calls (a small GET, a page of 100,
 * a 1,000-record PUT), one at a time and with 64 in flight, against a server
 * that answers at once and one that answers after 5 ms. Contenders run
 * interleaved, in a new random order each round, and each cell reports the
 * median over the rounds of its p50 and p99 latency, the spread of the p50
 * (lowest–highest round) and the CPU time this process spent per request
 * (`process.cpuUsage`).
 *
 * @example
 * const cells = await benchRequests({ rounds: 5, calls: 200 });
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ky from "ky";
import { ofetch } from "ofetch";
import createClient from "openapi-fetch";
import { createFlatpeakClient } from "flatpeak-client";
import { callEvents } from "flatpeak-client/events";

const require = createRequire(import.meta.url);
const { FlatpeakService } = require("@flat-peak/javascript-sdk");

const HEADERS = { Authorization: "Bearer bench-token", "Flatpeak-Version": "2025-09-14.anode" };
const RECORDS = Array.from({ length: 1000 }, (_, i) => ({
  location_id: "loc_641b90b758fb8e6293716e40",
  units: "WH",
  value: 200 + i,
  start_time: new Date(Date.UTC(2025, 0, 1) + i * 1_800_000).toISOString(),
  end_time: new Date(Date.UTC(2025, 0, 1) + (i + 1) * 1_800_000).toISOString(),
}));
export const CONTENDERS = ["raw fetch", "openapi-fetch", "flatpeak-client", "flatpeak-client + events", "ky", "ofetch", "@flat-peak/javascript-sdk"];
export const SCENARIOS = ["GET one customer", "GET a page of 100", "PUT 1,000 meter records"];

/** Starts the bench server in a child process; resolves with its URL and a stop function. */
export async function startServerProcess() {
  const child = spawn(process.execPath, [fileURLToPath(new URL("server.mjs", import.meta.url))], { stdio: ["ignore", "pipe", "inherit"] });
  const baseUrl = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (chunk) => resolve(String(chunk).trim()));
  });
  return { baseUrl, stop: () => new Promise((resolve) => (child.once("exit", resolve), child.kill("SIGTERM"))) };
}

/**
 * One call of each contender for each scenario, against `baseUrl`.
 * @param {string} baseUrl
 * @returns {Record<string, Record<string, () => Promise<unknown>>>}
 */
function calls(baseUrl) {
  const plain = createClient({ baseUrl, headers: HEADERS });
  const client = createFlatpeakClient({ accountId: "acc_bench", apiKey: "key", baseUrl });
  let events = 0;
  const observed = createFlatpeakClient({ accountId: "acc_bench", apiKey: "key", baseUrl, use: [callEvents({ onEvent: () => void events++ })] });
  const kyClient = ky.create({ prefixUrl: baseUrl, headers: HEADERS });
  const ofetchClient = ofetch.create({ baseURL: baseUrl, headers: HEADERS });
  const sdk = new FlatpeakService({ host: baseUrl, publishableKey: "pk_bench", secretKey: "sk_bench" });
  const raw = (/** @type {string} */ path, /** @type {RequestInit} */ init = {}) =>
    fetch(`${baseUrl}${path}`, { ...init, headers: { ...HEADERS, ...(init.body ? { "Content-Type": "application/json" } : {}) } }).then((r) => r.json());
  return {
    "GET one customer": {
      "raw fetch": () => raw("/customers/cus_1"),
      "openapi-fetch": () => plain.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
      "flatpeak-client": () => client.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
      "flatpeak-client + events": () => observed.GET("/customers/{id}", { params: { path: { id: "cus_1" } } }),
      ky: () => kyClient.get("customers/cus_1").json(),
      ofetch: () => ofetchClient("/customers/cus_1"),
      "@flat-peak/javascript-sdk": () => sdk.customers.retrieve("cus_1"),
    },
    "GET a page of 100": {
      "raw fetch": () => raw("/customers?limit=100"),
      "openapi-fetch": () => plain.GET("/customers", { params: { query: { limit: 100 } } }),
      "flatpeak-client": () => client.GET("/customers", { params: { query: { limit: 100 } } }),
      "flatpeak-client + events": () => observed.GET("/customers", { params: { query: { limit: 100 } } }),
      ky: () => kyClient.get("customers", { searchParams: { limit: 100 } }).json(),
      ofetch: () => ofetchClient("/customers", { query: { limit: 100 } }),
      "@flat-peak/javascript-sdk": () => sdk.customers.list({ limit: 100 }),
    },
    "PUT 1,000 meter records": {
      "raw fetch": () => raw("/meters/interval", { method: "PUT", body: JSON.stringify(RECORDS) }),
      "openapi-fetch": () => plain.PUT("/meters/interval", { body: RECORDS }),
      "flatpeak-client": () => client.PUT("/meters/interval", { body: RECORDS }),
      "flatpeak-client + events": () => observed.PUT("/meters/interval", { body: RECORDS }),
      ky: () => kyClient.put("meters/interval", { json: RECORDS }).json(),
      ofetch: () => ofetchClient("/meters/interval", { method: "PUT", body: RECORDS }),
      "@flat-peak/javascript-sdk": () => sdk.products.meterProduct("prd_bench", RECORDS),
    },
  };
}

/**
 * Makes `count` calls, `inFlight` at a time; returns each call's latency and the CPU time spent.
 * @param {() => Promise<unknown>} call
 * @param {number} count
 * @param {number} inFlight
 */
export async function measure(call, count, inFlight) {
  const latencies = new Float64Array(count);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const startedAt = performance.now();
      await call();
      latencies[i] = performance.now() - startedAt;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort();
  const at = (/** @type {number} */ q) => latencies[Math.min(count - 1, Math.floor(q * count))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), cpuMicros: (cpu.user + cpu.system) / count };
}

export const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** @param {T[]} items @template T */
export function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/**
 * @typedef {{ scenario: string; inFlight: number; delayMs: number; contender: string; p50Ms: number; p99Ms: number; p50LowMs: number; p50HighMs: number; cpuMicros: number }} RequestCell
 */

/**
 * @param {{ rounds: number; calls: number }} options rounds per cell, calls per round (×64 with 64 in flight)
 * @returns {Promise<RequestCell[]>}
 */
export async function benchRequests({ rounds, calls: perRound }) {
  const server = await startServerProcess();
  try {
    /** @type {RequestCell[]} */
    const cells = [];
    for (const delayMs of [0, 5]) {
      const all = calls(delayMs === 0 ? server.baseUrl : `${server.baseUrl}/slow`);
      for (const scenario of SCENARIOS) {
        const contenders = all[scenario] ?? {};
        for (const call of Object.values(contenders)) for (let i = 0; i < 20; i++) await call();
        for (const inFlight of [1, 64]) {
          const count = inFlight === 1 ? perRound : perRound * 4;
          /** @type {Record<string, Array<{ p50: number; p99: number; cpuMicros: number }>>} */
          const samples = {};
          for (let round = 0; round < rounds; round++) {
            for (const name of shuffled(CONTENDERS)) (samples[name] ??= []).push(await measure(contenders[name] ?? (() => Promise.resolve()), count, inFlight));
          }
          for (const name of CONTENDERS) {
            const runs = samples[name] ?? [];
            const p50s = runs.map((run) => run.p50);
            cells.push({
              scenario,
              inFlight,
              delayMs,
              contender: name,
              p50Ms: median(p50s),
              p99Ms: median(runs.map((run) => run.p99)),
              p50LowMs: Math.min(...p50s),
              p50HighMs: Math.max(...p50s),
              cpuMicros: median(runs.map((run) => run.cpuMicros)),
            });
          }
        }
      }
    }
    return cells;
  } finally {
    await server.stop();
  }
}
