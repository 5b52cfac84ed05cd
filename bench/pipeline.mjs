/**
 * The per-call cost with no network at all, step by step. `fetch` is a stub
 * that does only what undici does on the client side (a `Request` from what
 * it is given, its body read, a `new Response`), so what remains is the cost
 * of each client's own work. Cumulative pipelines, built from the package's
 * own modules in `dist/`, add the client's steps one at a time; the full
 * client is the last. They run interleaved, in a new random order each
 * round, and each cell is the median over the rounds of the CPU time per
 * call (`process.cpuUsage`), so a change of a few µs shows above the noise.
 *
 * @example
 * const rows = await benchPipeline({ rounds: 15, calls: 400 });
 */
import createClient from "openapi-fetch";
import { createFlatpeakClient } from "flatpeak-client";
import { attempt } from "../dist/esm/src/call/attempt.js";
import { authorize } from "../dist/esm/src/call/authorize.js";
import { chain } from "../dist/esm/src/call/call.js";
import { callMethods } from "../dist/esm/src/call/call-guard.js";
import { openapiCall } from "../dist/esm/src/call/openapi-call.js";
import { retry } from "../dist/esm/src/call/retry.js";
import { fixedToken } from "../dist/esm/src/auth/token-providers.js";
import { readBody } from "../dist/esm/src/http/buffered-response.js";
import { customer } from "./server.mjs";
import { measure, median, shuffled } from "./requests.mjs";

const BASE_URL = "https://api.flatpeak.com";
const VERSION = "2025-09-14.anode";
const HEADERS = { Authorization: "Bearer bench-token", "Flatpeak-Version": VERSION };
const RECORDS = Array.from({ length: 1000 }, (_, i) => ({ location_id: "loc_641b90b758fb8e6293716e40", units: "WH", value: 200 + i, start_time: new Date(Date.UTC(2025, 0, 1) + i * 1_800_000).toISOString(), end_time: new Date(Date.UTC(2025, 0, 1) + (i + 1) * 1_800_000).toISOString() }));
const ANSWERS = {
  "/customers/cus_1": JSON.stringify(customer(1)),
  "/customers": JSON.stringify({ object: "list", data: Array.from({ length: 100 }, (_, i) => customer(i)), has_more: true }),
  "/meters/interval": JSON.stringify({ id: "bat_65e42b7827c0526548432b9f", object: "meter_batch", records_submitted: 1000, records_accepted: 1000 }),
  "/login": JSON.stringify({ bearer_token: "bench-token", expires_in: 3600, live_mode: false }),
};

/** What undici does on the client side of a call, and nothing more: the answer is the route's canned JSON. */
async function stubFetch(/** @type {RequestInfo} */ input, /** @type {RequestInit | undefined} */ init) {
  const request = new Request(input, init);
  if (request.body !== null) await request.arrayBuffer();
  const text = ANSWERS[/** @type {keyof typeof ANSWERS} */ (new URL(request.url).pathname)] ?? "{}";
  return new Response(text, { status: 200, headers: { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)) } });
}

/**
 * The layers, each the one before plus one step of the client's per-call
 * path, in the order they build on each other: `calls[layer]` makes one call
 * of a scenario.
 */
export const LAYERS = [
  { name: "raw fetch", step: "" },
  { name: "openapi-fetch", step: "" },
  { name: "build and parse", step: "openapi-fetch's serializers and parsing, as the client runs them (its own path filling)" },
  { name: "+ call guard", step: "parameter and per-call option checks, the outgoing request, error typing (a status check on a success), the sent request remembered" },
  { name: "+ body read", step: "the body read to its end and kept, so that the timeout covers it" },
  { name: "+ attempt", step: "an AbortController and timer per attempt, the caller's signal followed, failed answers masked" },
  { name: "+ retry", step: "the retry decision (the method, the spec's retry-safe POSTs)" },
  { name: "+ authorize", step: "origin check, version pin, bearer token" },
  { name: "flatpeak-client, token", step: "the chain as the client composes it, `createFlatpeakClient({ token })`" },
  { name: "flatpeak-client, login", step: "the login's token, cached: `createFlatpeakClient({ accountId, apiKey })`" },
];
export const PIPELINE_SCENARIOS = ["GET one customer", "GET a page of 100", "PUT 1,000 meter records"];

/** @param {(method: string, path: string, init: Record<string, unknown>) => Promise<unknown>} client */
function scenarioCalls(client) {
  return [() => client("GET", "/customers/{id}", { params: { path: { id: "cus_1" } } }), () => client("GET", "/customers", { params: { query: { limit: 100 } } }), () => client("PUT", "/meters/interval", { body: RECORDS })];
}

/** @param {import("../dist/esm/src/call/call.js").Send} send */
function guarded(send) {
  const methods = /** @type {Record<string, (path: string, init: unknown) => Promise<unknown>>} */ (/** @type {unknown} */ (callMethods({ baseUrl: BASE_URL, headers: {}, middleware: [] }, { observe: [], send, apiVersion: VERSION, takesDeadlines: false })));
  return scenarioCalls((method, path, init) => /** @type {(path: string, init: unknown) => Promise<unknown>} */ (methods[method])(path, init));
}

function layerCalls() {
  const plain = createClient({ baseUrl: BASE_URL, headers: HEADERS });
  const own = { baseUrl: BASE_URL, headers: HEADERS, middleware: [] };
  const raw = (/** @type {string} */ method, /** @type {string} */ path, /** @type {RequestInit} */ init = {}) => fetch(`${BASE_URL}${path}`, { ...init, method, headers: { ...HEADERS, ...(init.body ? { "Content-Type": "application/json" } : {}) } }).then((r) => r.json());
  const attempted = attempt({ fetch: undefined, timeoutMs: 30_000, secrets: [] });
  const retried = chain([retry(2)], attempted);
  const authorized = chain([authorize({ tokens: fixedToken("bench-token"), baseUrl: BASE_URL, apiVersion: VERSION }), retry(2)], attempted);
  const withToken = createFlatpeakClient({ token: "bench-token" });
  const withLogin = createFlatpeakClient({ accountId: "acc_bench", apiKey: "key" });
  const typed = (/** @type {Record<string, Function>} */ client) => scenarioCalls((method, path, init) => client[method](path, init));
  return {
    "raw fetch": [() => raw("GET", "/customers/cus_1"), () => raw("GET", "/customers?limit=100"), () => raw("PUT", "/meters/interval", { body: JSON.stringify(RECORDS) })],
    "openapi-fetch": typed(/** @type {Record<string, Function>} */ (/** @type {unknown} */ (plain))),
    "build and parse": scenarioCalls((method, path, init) => openapiCall(own, method, path, init, (request) => fetch(request))),
    "+ call guard": guarded((request) => fetch(request)),
    "+ body read": guarded((request) => fetch(request).then(readBody)),
    "+ attempt": guarded(attempted),
    "+ retry": guarded(retried),
    "+ authorize": guarded(authorized),
    "flatpeak-client, token": typed(/** @type {Record<string, Function>} */ (/** @type {unknown} */ (withToken))),
    "flatpeak-client, login": typed(/** @type {Record<string, Function>} */ (/** @type {unknown} */ (withLogin))),
  };
}

/**
 * @typedef {{ scenario: string; layer: string; inFlight: number; cpuMicros: number; lowMicros: number; highMicros: number }} PipelineCell
 */

/**
 * Every layer for every scenario one at a time, and raw fetch, openapi-fetch
 * and the client with 64 in flight.
 * @param {{ rounds: number; calls: number }} options rounds per cell, calls per round (a tenth of them for the PUT)
 * @returns {Promise<PipelineCell[]>}
 */
export async function benchPipeline({ rounds, calls }) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = stubFetch;
  try {
    const layers = layerCalls();
    /** @type {PipelineCell[]} */
    const cells = [];
    for (const [index, scenario] of PIPELINE_SCENARIOS.entries()) {
      const count = index === 2 ? Math.ceil(calls / 10) : calls;
      for (const inFlight of [1, 64]) {
        const names = inFlight === 1 ? LAYERS.map(({ name }) => name) : ["raw fetch", "openapi-fetch", "flatpeak-client, login"];
        const callOf = (/** @type {string} */ name) => /** @type {() => Promise<unknown>} */ (layers[/** @type {keyof typeof layers} */ (name)][index]);
        for (const name of names) for (let i = 0; i < 50; i++) await callOf(name)();
        /** @type {Record<string, number[]>} */
        const samples = {};
        for (let round = 0; round < rounds; round++) for (const name of shuffled(names)) (samples[name] ??= []).push((await measure(callOf(name), count, inFlight)).cpuMicros);
        for (const name of names) {
          const values = samples[name] ?? [];
          cells.push({ scenario, layer: name, inFlight, cpuMicros: median(values), lowMicros: Math.min(...values), highMicros: Math.max(...values) });
        }
      }
    }
    return cells;
  } finally {
    globalThis.fetch = realFetch;
  }
}
