/**
 * A fleet of price caches on a real Redis, against the loopback server in
 * its own process: `processes` processes, each asking every one of
 * `locations` locations for its next 12 hours once a simulated minute (the
 * questions of a minute spread over it), for `minutes` simulated minutes
 * across the server's hourly `next_update`, which every location shares.
 * The clocks of the processes (`Date.now` and `performance.now`) are
 * simulated and moved together by this process, a minute per round; Redis
 * and the requests run in real time. Then Redis is stopped (SIGSTOP) for
 * `pauseMs` real milliseconds while the rounds go on.
 *
 * Counted in each process at the client's `fetch`: requests, and the
 * simulated second each was sent in; per question, the real time it took
 * and whether it was answered and stale.
 *
 * @example
 * const result = await benchPriceFleet({ processes: 4, locations: 1_000, minutes: 120, pauseMs: 10_000 });
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REDIS_MISSING, redisServerPath, startRedis } from "../scripts/redis.mjs";
import { startServerProcess } from "./requests.mjs";

const SELF = fileURLToPath(import.meta.url);
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Simulated start: 20 minutes before a whole hour, the server's next_update. */
const START = Date.parse("2026-12-02T15:40:00Z");

/**
 * @typedef {{ questions: number; answered: number; stale: number; requests: number; sentAt: number[]; latencies: number[] }} Round
 * @typedef {{ phase: string; minutes: number; questions: number; answered: number; stale: number; requests: number; requestsPerLocationHour: number; peakPerSecond: number; peakAt: string; p50Ms: number; p99Ms: number }} PriceFleetRow
 */

/** The `q` quantile of `values`. */
function quantile(/** @type {number[]} */ values, /** @type {number} */ q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** What the rounds of one phase add up to, over `locations` locations. */
function summary(/** @type {string} */ phase, /** @type {Round[]} */ rounds, /** @type {number} */ locations, /** @type {number} */ minutes) {
  const sum = (/** @type {"questions" | "answered" | "stale" | "requests"} */ key) => rounds.reduce((total, round) => total + round[key], 0);
  const perSecond = new Map();
  for (const at of rounds.flatMap((round) => round.sentAt)) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  const [peakSecond, peak] = [...perSecond].reduce((best, entry) => (entry[1] > best[1] ? entry : best), [0, 0]);
  const latencies = rounds.flatMap((round) => round.latencies);
  return {
    phase,
    minutes,
    questions: sum("questions"),
    answered: sum("answered"),
    stale: sum("stale"),
    requests: sum("requests"),
    requestsPerLocationHour: sum("requests") / locations / (minutes / 60),
    peakPerSecond: peak,
    peakAt: peak === 0 ? "-" : new Date(peakSecond * 1000).toISOString().slice(11, 19),
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/**
 * @param {{ processes: number; locations: number; minutes: number; pauseMs: number }} options
 * @returns {Promise<PriceFleetRow[] | string>} the rows, or why they were skipped
 */
export async function benchPriceFleet({ processes, locations, minutes, pauseMs }) {
  if (redisServerPath() === undefined) return `skipped: ${REDIS_MISSING}`;
  const [server, redis] = await Promise.all([startServerProcess(), startRedis()]);
  const children = Array.from({ length: processes }, (_, index) => fork(SELF, ["worker", server.baseUrl, redis.url, String(locations), String(index)], { stdio: ["ignore", "ignore", "inherit", "ipc"] }));
  /** Runs the minute starting at `at` (simulated) in every process. */
  const round = (/** @type {number} */ at) =>
    Promise.all(children.map((child) => new Promise((resolve) => (child.once("message", resolve), child.send({ at })))));
  try {
    await Promise.all(children.map((child) => new Promise((resolve) => child.once("message", resolve))));
    // Warm up, one process after another, as a fleet that has been running: not counted.
    for (const child of children) await new Promise((resolve) => (child.once("message", resolve), child.send({ at: START - MINUTE_MS })));
    /** @type {Round[]} */
    const steady = [];
    let at = START;
    for (let minute = 0; minute < minutes; minute++, at += MINUTE_MS) {
      const rounds = /** @type {Round[]} */ (await round(at));
      if (process.env.BENCH_DEBUG) console.error(new Date(at).toISOString().slice(11, 16), rounds.map((r) => r.requests).join(" "));
      steady.push(...rounds);
    }
    /** @type {Round[]} */
    const paused = [];
    let pausedMinutes = 0;
    redis.pause();
    const until = performance.now() + pauseMs;
    try {
      for (; performance.now() < until; pausedMinutes++, at += MINUTE_MS) paused.push(.../** @type {Round[]} */ (await round(at)));
    } finally {
      redis.resume();
    }
    return [summary(`${minutes} simulated minutes across ${Math.floor(minutes / 60) + 1} publications`, steady, locations, minutes), summary(`Redis stopped for ${pauseMs / 1000} s (${pausedMinutes} simulated minutes)`, paused, locations, pausedMinutes)];
  } finally {
    for (const child of children) child.kill();
    await Promise.all([server.stop(), redis.stop()]);
  }
}

/**
 * In a child process: one process of the fleet, its clocks moved by the
 * parent: on each `{ at }` it asks every location once over the minute
 * from `at`, and answers with what that round counted.
 * @param {string} baseUrl
 * @param {string} redisUrl
 * @param {number} locations
 * @param {number} index this process's place in the fleet, which shifts its questions within the minute
 */
async function worker(baseUrl, redisUrl, locations, index) {
  let now = START;
  const realNow = performance.now.bind(performance);
  const realStart = realNow();
  Date.now = () => now;
  // The cache's own intervals (how often it reads the fleet's log, its refresh budget) follow the simulated clock too.
  performance.now = () => now - START + realStart;
  const [{ createClient }, { createFlatpeakClient }, { createPriceCache }, { createRedisStore }] = await Promise.all([import("redis"), import("flatpeak-client"), import("flatpeak-client/prices"), import("flatpeak-client/redis")]);
  const redis = await createClient({ url: redisUrl }).on("error", () => undefined).connect();
  /** @type {number[]} */
  let sentAt = [];
  const flatpeak = createFlatpeakClient({
    accountId: "acc_bench_prices",
    apiKey: "key",
    baseUrl,
    maxRetries: 0,
    fetch: (request) => {
      if (request.url.includes("/prices/")) sentAt.push(now);
      return fetch(request);
    },
  });
  const prices = createPriceCache(flatpeak, { store: createRedisStore(redis, { timeoutMs: 200 }), storeTimeoutMs: 200, onStoreError: (e) => process.env.BENCH_DEBUG && console.error("store", String(e)) });
  const ids = Array.from({ length: locations }, (_, i) => `loc_${String(i).padStart(24, "0")}`);
  process.on("message", async (/** @type {{ at: number }} */ { at }) => {
    sentAt = [];
    /** @type {Round} */
    const counted = { questions: 0, answered: 0, stale: 0, requests: 0, sentAt: [], latencies: [] };
    for (let i = 0; i < ids.length; i++) {
      // Questions spread over the minute, as a fleet asks them: the event loop turns between two.
      await new Promise((resolve) => setImmediate(resolve));
      now = at + Math.floor(((i + index / 4) * MINUTE_MS) / ids.length);
      const startedAt = realNow();
      counted.questions++;
      try {
        const answer = await prices.get({ locationId: ids[i] ?? "", end: now + 12 * HOUR_MS });
        counted.answered++;
        if (answer.stale) counted.stale++;
      } catch {
        // Counted as not answered.
      }
      counted.latencies.push(realNow() - startedAt);
    }
    // Refreshes sent in the background this minute are counted with it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    Object.assign(counted, { requests: sentAt.length, sentAt });
    process.send?.(counted);
  });
  process.send?.("ready");
}

if (process.argv[1] === SELF && process.argv[2] === "worker") {
  const [baseUrl = "", redisUrl = "", locations = "0", index = "0"] = process.argv.slice(3);
  await worker(baseUrl, redisUrl, Number(locations), Number(index));
}
