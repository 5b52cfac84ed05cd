/**
 * A fleet's load, against the loopback server in its own process:
 *
 * - prices: `locations` locations each asked for its next 12 hours of prices
 *   every minute for `minutes` simulated minutes (64 questions in flight),
 *   through `createPriceCache` and by a `POST /prices/{id}` per question. The
 *   clock of the measuring process is simulated (`Date.now` moves a minute
 *   per round); the server answers `next_update` at the next whole hour.
 * - tokens: 8 processes started together, `calls` calls each, logging in on
 *   their own or sharing the token through `tokenStore` on a cold Redis.
 *
 * Each case runs in a process of its own (`--expose-gc`): requests and
 * logins are counted at the client's `fetch`, latency per question or call
 * is its p50 (for prices also the CPU time per question), and memory is the
 * heap retained at the end above the heap before the first question.
 *
 * @example
 * const { prices, tokens } = await benchFleet({ locations: 1_000, minutes: 360, calls: 200 });
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFlatpeakClient, unwrap } from "flatpeak-client";
import { createPriceCache, priceIntervals } from "flatpeak-client/prices";
import { REDIS_MISSING, redisServerPath, startRedis } from "../scripts/redis.mjs";
import { median, startServerProcess } from "./requests.mjs";

const SELF = fileURLToPath(import.meta.url);
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const IN_FLIGHT = 64;
const PROCESSES = 8;
const run = promisify(execFile);

/**
 * @typedef {{ case: string; questions: number; requests: number; logins: number; p50Ms: number; cpuMicros?: number; heapBytes?: number }} FleetRow
 */

/** Heap in use after a full collection. */
function retainedHeap() {
  /** @type {any} */ (globalThis).gc();
  return process.memoryUsage().heapUsed;
}

/** A client that counts the requests it sends, logins among them. */
function countingClient(/** @type {string} */ baseUrl, /** @type {import("flatpeak-client").FlatpeakClientOptions["use"]} */ use = []) {
  const counted = { requests: 0, logins: 0 };
  const flatpeak = createFlatpeakClient({
    accountId: "acc_bench_fleet",
    apiKey: "key",
    baseUrl,
    use,
    fetch: (input, init) => {
      counted.requests++;
      if (String(input instanceof Request ? input.url : input).endsWith("/login")) counted.logins++;
      return fetch(input, init);
    },
  });
  return { flatpeak, counted };
}

/** `count` calls of `call(i)`, `inFlight` at a time; each call's latency. */
async function timed(/** @type {(i: number) => Promise<unknown>} */ call, /** @type {number} */ count, /** @type {number} */ inFlight, /** @type {number[]} */ latencies) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const startedAt = performance.now();
      await call(i);
      latencies.push(performance.now() - startedAt);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * In a child process: one price case over a simulated clock.
 * @param {"cached" | "uncached"} mode
 * @param {string} baseUrl
 * @param {number} locations
 * @param {number} minutes
 */
async function priceCase(mode, baseUrl, locations, minutes) {
  let now = Date.parse("2026-12-02T00:00:30Z");
  Date.now = () => now;
  const { flatpeak, counted } = countingClient(baseUrl);
  const cache = createPriceCache(flatpeak);
  const ids = Array.from({ length: locations }, (_, i) => `loc_${String(i).padStart(24, "0")}`);
  /** @type {(locationId: string) => Promise<unknown>} */
  const ask =
    mode === "cached"
      ? (locationId) => cache.get({ locationId, end: Date.now() + 12 * HOUR_MS })
      : async (locationId) => {
          const body = { start_time: new Date(Date.now()).toISOString(), end_time: new Date(Date.now() + 12 * HOUR_MS).toISOString(), tariff_direction: /** @type {const} */ ("IMPORT") };
          return priceIntervals(await unwrap(flatpeak.POST("/prices/{id}", { params: { path: { id: locationId } }, body })));
        };
  await ask("loc_warm_up");
  Object.assign(counted, { requests: 0, logins: 0 });
  const before = retainedHeap();
  /** @type {number[]} */
  const latencies = [];
  const cpuBefore = process.cpuUsage();
  for (let minute = 0; minute < minutes; minute++, now += MINUTE_MS) await timed((i) => ask(ids[i] ?? ""), locations, IN_FLIGHT, latencies);
  const cpu = process.cpuUsage(cpuBefore);
  return { questions: latencies.length, ...counted, p50Ms: median(latencies), cpuMicros: (cpu.user + cpu.system) / latencies.length, heapBytes: retainedHeap() - before };
}

/**
 * In a child process: one worker of the fleet, `calls` calls one after another.
 * @param {string} baseUrl
 * @param {string} redisUrl empty for a process that logs in on its own
 * @param {number} calls
 */
async function tokenCase(baseUrl, redisUrl, calls) {
  /** @type {{ quit(): Promise<unknown> } | undefined} */
  let redis;
  const use = [];
  if (redisUrl !== "") {
    const [{ createClient }, { tokenStore }, { createRedisStore }] = await Promise.all([import("redis"), import("flatpeak-client/fleet"), import("flatpeak-client/redis")]);
    const client = await createClient({ url: redisUrl }).connect();
    redis = client;
    use.push(tokenStore(createRedisStore(client)));
  }
  const { flatpeak, counted } = countingClient(baseUrl, use);
  /** @type {number[]} */
  const latencies = [];
  let answered = 0;
  await timed(
    async () => {
      if ((await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } })).response.ok) answered++;
    },
    calls,
    1,
    latencies
  );
  await redis?.quit();
  return { answered, ...counted, p50Ms: median(latencies) };
}

/** Runs this file as a child process for one case; resolves with what it printed. */
async function child(/** @type {string[]} */ args) {
  const { stdout } = await run(process.execPath, ["--expose-gc", SELF, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

/**
 * @param {{ locations: number; minutes: number; calls: number }} options
 * @returns {Promise<{ prices: FleetRow[]; tokens: FleetRow[] | string }>} the token rows, or why they were skipped
 */
export async function benchFleet({ locations, minutes, calls }) {
  const server = await startServerProcess();
  try {
    /** @type {FleetRow[]} */
    const prices = [];
    for (const [name, mode] of [
      ["createPriceCache", "cached"],
      ["a request per question", "uncached"],
    ]) {
      prices.push({ case: name, ...(await child(["prices", mode, server.baseUrl, String(locations), String(minutes)])) });
    }
    return { prices, tokens: await tokenRows(server.baseUrl, calls) };
  } finally {
    await server.stop();
  }
}

/** 8 processes without and with tokenStore; a sentence instead where redis-server is missing. */
async function tokenRows(/** @type {string} */ baseUrl, /** @type {number} */ calls) {
  if (redisServerPath() === undefined) return `skipped: ${REDIS_MISSING}`;
  const redis = await startRedis();
  try {
    /** @type {FleetRow[]} */
    const rows = [];
    for (const [name, redisUrl] of [
      ["each process logs in", ""],
      ["tokenStore on Redis", redis.url],
    ]) {
      const workers = await Promise.all(Array.from({ length: PROCESSES }, () => child(["tokens", baseUrl, redisUrl, String(calls)])));
      const sum = (/** @type {"answered" | "requests" | "logins"} */ key) => workers.reduce((total, worker) => total + worker[key], 0);
      rows.push({ case: name, questions: sum("answered"), requests: sum("requests"), logins: sum("logins"), p50Ms: median(workers.map((worker) => worker.p50Ms)) });
    }
    return rows;
  } finally {
    await redis.stop();
  }
}

if (process.argv[1] === SELF) {
  const [kind, ...args] = process.argv.slice(2);
  const result =
    kind === "prices"
      ? await priceCase(/** @type {"cached" | "uncached"} */ (args[0]), args[1] ?? "", Number(args[2]), Number(args[3]))
      : await tokenCase(args[0] ?? "", args[1] ?? "", Number(args[2]));
  console.log(JSON.stringify(result));
}
