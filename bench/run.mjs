/**
 * `npm run bench`: every benchmark in one run, printed as Markdown tables with
 * ratios, and written into bench/README.md together with the machine it ran on.
 *
 * @example
 * // npm run bench
 * // npm run bench -- --quick   (shorter timings, README left alone)
 */
import { readFile, writeFile } from "node:fs/promises";
import { arch, cpus, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { benchBundleSizes } from "./bundle-size.mjs";
import { benchFleet } from "./fleet.mjs";
import { benchMeterUploadMemory } from "./meter-upload-memory.mjs";
import { benchPaginationMemory } from "./pagination-memory.mjs";
import { LAYERS, PIPELINE_SCENARIOS, benchPipeline } from "./pipeline.mjs";
import { benchPriceFleet } from "./price-fleet.mjs";
import { CONTENDERS, SCENARIOS, benchRequests } from "./requests.mjs";
import { benchResilience } from "./resilience.mjs";
import { benchTypeCheck } from "./typecheck.mjs";

const README = fileURLToPath(new URL("README.md", import.meta.url));
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";
/** Targets: p50 ÷ openapi-fetch, CPU at 64 in flight ÷ raw fetch, p50 ÷ raw fetch with the server 5 ms away. */
const TARGETS = { overOpenapiFetch: 1.1, cpuOverRawFetch: 1.35, remoteOverRawFetch: 1.03 };
const PEERS = ["ky", "ofetch", "@flat-peak/javascript-sdk"];
const TYPECHECK_TARGET = 2;

const quick = process.argv.includes("--quick");
const fixed = (/** @type {number} */ value, digits = 2) => value.toFixed(digits);
const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const verdict = (/** @type {boolean} */ ok) => (ok ? "yes" : "**no**");

/** @param {string[]} header @param {string[][]} rows */
function table(header, rows) {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

function machine() {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM; ${platform()} ${release()} ${arch()}; Node.js ${process.version}`;
}

/**
 * @param {import("./requests.mjs").RequestCell[]} cells
 * @param {Partial<import("./requests.mjs").RequestCell>} where
 */
function cell(cells, where) {
  const found = cells.find((c) => Object.entries(where).every(([key, value]) => c[/** @type {keyof typeof c} */ (key)] === value));
  if (!found) throw new Error(`no benchmark cell ${JSON.stringify(where)}`);
  return found;
}

/** @param {import("./requests.mjs").RequestCell[]} cells */
function requestTables(cells) {
  return [0, 5].flatMap((delayMs) =>
    [1, 64].flatMap((inFlight) => [
      `### Requests: ${inFlight === 1 ? "one at a time" : "64 in flight"}, server ${delayMs === 0 ? "answering at once" : "5 ms away"}`,
      "",
      table(
        ["scenario", "contender", "p50 ms (spread)", "p99 ms", "CPU µs / request", "p50 ÷ openapi-fetch", "CPU ÷ raw fetch"],
        SCENARIOS.flatMap((scenario) => {
          const base = cell(cells, { scenario, inFlight, delayMs, contender: "openapi-fetch" });
          const raw = cell(cells, { scenario, inFlight, delayMs, contender: "raw fetch" });
          return CONTENDERS.map((contender) => {
            const c = cell(cells, { scenario, inFlight, delayMs, contender });
            return [scenario, contender, `${fixed(c.p50Ms, 3)} (${fixed(c.p50LowMs, 3)}–${fixed(c.p50HighMs, 3)})`, fixed(c.p99Ms, 3), fixed(c.cpuMicros, 0), `${fixed(c.p50Ms / base.p50Ms)}x`, `${fixed(c.cpuMicros / raw.cpuMicros)}x`];
          });
        }),
      ),
      "",
    ]),
  );
}

/** @param {import("./requests.mjs").RequestCell[]} cells */
function targetTable(cells) {
  const client = (/** @type {Partial<import("./requests.mjs").RequestCell>} */ where) => cell(cells, { ...where, contender: "flatpeak-client" });
  const rows = SCENARIOS.flatMap((scenario) => {
    const overOpenapi = client({ scenario, inFlight: 1, delayMs: 0 }).p50Ms / cell(cells, { scenario, inFlight: 1, delayMs: 0, contender: "openapi-fetch" }).p50Ms;
    const cpu = client({ scenario, inFlight: 64, delayMs: 0 }).cpuMicros / cell(cells, { scenario, inFlight: 64, delayMs: 0, contender: "raw fetch" }).cpuMicros;
    const remote = client({ scenario, inFlight: 1, delayMs: 5 }).p50Ms / cell(cells, { scenario, inFlight: 1, delayMs: 5, contender: "raw fetch" }).p50Ms;
    const beaten = cells.filter((c) => c.scenario === scenario && PEERS.includes(c.contender) && c.p50Ms <= client({ scenario, inFlight: c.inFlight, delayMs: c.delayMs }).p50Ms);
    return [
      [scenario, `p50 ÷ openapi-fetch ≤ ${TARGETS.overOpenapiFetch}`, `${fixed(overOpenapi)}x`, verdict(overOpenapi <= TARGETS.overOpenapiFetch)],
      [scenario, `CPU at 64 in flight ÷ raw fetch ≤ ${TARGETS.cpuOverRawFetch}`, `${fixed(cpu)}x`, verdict(cpu <= TARGETS.cpuOverRawFetch)],
      [scenario, `p50 5 ms away ÷ raw fetch ≤ ${TARGETS.remoteOverRawFetch}`, `${fixed(remote)}x`, verdict(remote <= TARGETS.remoteOverRawFetch)],
      [scenario, "faster than ky, ofetch and the old SDK", beaten.length === 0 ? "on every row" : beaten.map((c) => `${c.contender} (${c.inFlight} in flight, ${c.delayMs} ms)`).join(", "), verdict(beaten.length === 0)],
    ];
  });
  return table(["scenario", "target", "measured", "met"], rows);
}

/** The cost of a call-events hook per call: `flatpeak-client + events` against `flatpeak-client`, in the same run. */
function eventsTable(/** @type {import("./requests.mjs").RequestCell[]} */ cells) {
  const rows = SCENARIOS.flatMap((scenario) =>
    [1, 64].map((inFlight) => {
      const [off, on] = ["flatpeak-client", "flatpeak-client + events"].map((contender) => cell(cells, { scenario, inFlight, delayMs: 0, contender }));
      return [scenario, String(inFlight), fixed(off?.cpuMicros ?? 0, 0), fixed(on?.cpuMicros ?? 0, 0), `${fixed((on?.cpuMicros ?? 0) - (off?.cpuMicros ?? 0), 0)} µs`, `${fixed((on?.p50Ms ?? 0) / (off?.p50Ms ?? 1))}x`];
    }),
  );
  return table(["scenario", "in flight", "CPU µs / call, no plugin", "CPU µs / call, callEvents", "hook cost / call", "p50 ratio"], rows);
}

/**
 * The no-network rows (raw fetch, openapi-fetch and the client over the same
 * stub `fetch`) and, per scenario, what each step of the per-call path adds
 * to a successful call one at a time.
 * @param {import("./pipeline.mjs").PipelineCell[]} cells
 */
function pipelineTables(cells) {
  const at = (/** @type {string} */ scenario, /** @type {string} */ layer, /** @type {number} */ inFlight) => {
    const found = cells.find((c) => c.scenario === scenario && c.layer === layer && c.inFlight === inFlight);
    if (!found) throw new Error(`no pipeline cell ${scenario} / ${layer} / ${inFlight}`);
    return found;
  };
  const contenders = [
    ["raw fetch", "raw fetch"],
    ["openapi-fetch", "openapi-fetch"],
    ["flatpeak-client", "flatpeak-client, login"],
  ];
  const rows = PIPELINE_SCENARIOS.flatMap((scenario) =>
    [1, 64].flatMap((inFlight) => {
      const base = at(scenario, "openapi-fetch", inFlight).cpuMicros;
      const raw = at(scenario, "raw fetch", inFlight).cpuMicros;
      return contenders.map(([label, layer]) => {
        const c = at(scenario, /** @type {string} */ (layer), inFlight);
        return [scenario, String(inFlight), /** @type {string} */ (label), `${fixed(c.cpuMicros, 1)} (${fixed(c.lowMicros, 1)}–${fixed(c.highMicros, 1)})`, `${fixed(c.cpuMicros - base, 1)} µs`, `${fixed(c.cpuMicros / base)}x`, `${fixed(c.cpuMicros / raw)}x`];
      });
    }),
  );
  const steps = LAYERS.slice(2).map(({ name, step }, index) => {
    const before = /** @type {string} */ (LAYERS[index + 1]?.name);
    return [name, step, ...PIPELINE_SCENARIOS.map((scenario) => `${fixed(at(scenario, name, 1).cpuMicros - at(scenario, before, 1).cpuMicros, 1)} µs`)];
  });
  const total = ["whole client ÷ openapi-fetch", "", ...PIPELINE_SCENARIOS.map((scenario) => `${fixed(at(scenario, "flatpeak-client, login", 1).cpuMicros - at(scenario, "openapi-fetch", 1).cpuMicros, 1)} µs`)];
  return [
    "### No network: CPU per call over a stub `fetch`",
    "",
    table(["scenario", "in flight", "contender", "CPU µs / call (spread)", "over openapi-fetch", "÷ openapi-fetch", "÷ raw fetch"], rows),
    "",
    "### No network: what each step adds to a successful call (one at a time)",
    "",
    "Each row is the pipeline of the row before with one more step; its cost is the difference of their medians, so a step that costs less than the spread of a round can show a small negative cost.",
    "",
    table(["pipeline", "what the step does", ...PIPELINE_SCENARIOS], [...steps, total]),
    "",
  ];
}

/**
 * @param {Awaited<ReturnType<typeof benchFleet>>} fleet
 * @param {{ locations: number; minutes: number; calls: number }} load
 */
function fleetTables({ prices, tokens }, { locations, minutes, calls }) {
  const [cached, uncached] = prices;
  const count = (/** @type {number} */ n) => n.toLocaleString("en");
  return [
    `### Fleet: ${count(locations)} locations asked for their next 12 hours every minute for ${minutes / 60} simulated hour${minutes === 60 ? "" : "s"} (64 questions in flight)`,
    "",
    table(
      ["client", "questions", "requests", "p50 ms / question", "CPU µs / question", "heap retained", "requests ÷ createPriceCache"],
      prices.map((row) => [row.case, count(row.questions), count(row.requests), fixed(row.p50Ms, 3), fixed(row.cpuMicros ?? 0, 0), mb(row.heapBytes ?? 0), `${fixed(row.requests / (cached?.requests ?? 1), 1)}x`]),
    ),
    "",
    `createPriceCache asked ${fixed((uncached?.requests ?? 0) / Math.max(1, cached?.requests ?? 0), 0)} times less often: once per location and hour, at each answer's next_update.`,
    "",
    `### Fleet: 8 processes started together, ${count(calls)} calls each, one at a time`,
    "",
    typeof tokens === "string"
      ? tokens
      : table(
          ["processes", "calls answered", "logins", "requests", "p50 ms / call (median of the processes)"],
          tokens.map((row) => [row.case, count(row.questions), String(row.logins), count(row.requests), fixed(row.p50Ms, 3)]),
        ),
    "",
  ];
}

/**
 * @param {Awaited<ReturnType<typeof benchPriceFleet>>} rows
 * @param {{ processes: number; locations: number; minutes: number; pauseMs: number }} load
 */
function priceFleetTables(rows, { processes, locations }) {
  const count = (/** @type {number} */ n) => n.toLocaleString("en");
  return [
    `### Fleet prices: ${processes} processes on one Redis, ${count(locations)} locations each asked every simulated minute, all sharing the hourly \`next_update\``,
    "",
    typeof rows === "string"
      ? rows
      : table(
          ["phase", "questions", "answered", "stale", "requests", "requests / location / hour", "peak requests / s (at)", "p50 ms / question", "p99 ms / question"],
          rows.map((row) => [row.phase, count(row.questions), count(row.answered), count(row.stale), count(row.requests), fixed(row.requestsPerLocationHour), `${row.peakPerSecond} (${row.peakAt})`, fixed(row.p50Ms, 3), fixed(row.p99Ms, 3)]),
        ),
    "",
    "One request per location and publication for the whole fleet, spread over `refreshSpreadMs` (5 minutes) after the `next_update`, each location at a moment of its own: at most `maxRefreshesPerSecond` (10) per process, and in this run the peak above. Answers are stale, as marked, from the `next_update` until their location's refresh. With Redis stopped, every question is answered from the answers each process keeps, marked stale since the fleet's invalidations cannot be read, and the store is asked again once its rest of 5 s (of the simulated clock here) is over, each such question waiting at most one `storeTimeoutMs` (200 ms in this run).",
    "",
  ];
}

async function main() {
  const pipeline = await benchPipeline(quick ? { rounds: 3, calls: 100 } : { rounds: 31, calls: 400 });
  const requests = await benchRequests(quick ? { rounds: 2, calls: 30 } : { rounds: 7, calls: 150 });
  const resilience = await benchResilience(quick ? { rounds: 1, calls: 30 } : { rounds: 5, calls: 150 });
  const fleetLoad = quick ? { locations: 100, minutes: 60, calls: 50 } : { locations: 1_000, minutes: 360, calls: 200 };
  const fleet = await benchFleet(fleetLoad);
  const priceFleetLoad = quick ? { processes: 4, locations: 100, minutes: 30, pauseMs: 2_000 } : { processes: 4, locations: 1_000, minutes: 120, pauseMs: 10_000 };
  const priceFleet = await benchPriceFleet(priceFleetLoad);
  const sizes = await benchBundleSizes();
  const typecheck = await benchTypeCheck({ runs: quick ? 1 : 5 });
  const pagination = await benchPaginationMemory();
  const meters = await benchMeterUploadMemory();

  const report = [
    `Run on ${new Date().toISOString().slice(0, 10)} — ${machine()}.`,
    "",
    ...requestTables(requests),
    ...pipelineTables(pipeline),
    "### Request targets",
    "",
    targetTable(requests),
    "",
    "### Call events: what a hook costs",
    "",
    eventsTable(requests),
    "",
    "### Resilience on the hot path (one client, server answering at once)",
    "",
    table(
      ["case", "p50 ms", "p99 ms", "CPU µs / call", "all 1,000 done in"],
      resilience.map((row) => [row.case, fixed(row.p50Ms, 3), fixed(row.p99Ms, 3), fixed(row.cpuMicros, 0), row.totalMs === undefined ? "" : `${fixed(row.totalMs, 0)} ms`]),
    ),
    "",
    ...fleetTables(fleet, fleetLoad),
    ...priceFleetTables(priceFleet, priceFleetLoad),
    "### Bundle size (what an app ships, minified + gzip)",
    "",
    table(
      ["package", "minified", "min + gzip", "÷ openapi-fetch"],
      sizes.map((s) => [s.contender, kb(s.minifiedBytes), kb(s.gzipBytes), `${fixed(s.ratio)}x`]),
    ),
    "",
    "### Type-check cost (`tsc --noEmit`, median wall time)",
    "",
    table(
      ["file", "time", "÷ baseline", `under ${TYPECHECK_TARGET}x`],
      [
        ["empty baseline", `${fixed(typecheck.baselineMs, 0)} ms`, "1.00x", ""],
        ["20 typed calls", `${fixed(typecheck.consumerMs, 0)} ms`, `${fixed(typecheck.ratio)}x`, verdict(typecheck.ratio < TYPECHECK_TARGET)],
      ],
    ),
    "",
    `### Pagination over ${pagination.items.toLocaleString("en")} items (peak heap retained)`,
    "",
    table(
      ["approach", "peak heap", "÷ paginate"],
      [
        ["`for await (… of paginate())`", mb(pagination.iterateBytes), "1.00x"],
        ["collect all into one array", mb(pagination.collectBytes), `${fixed(pagination.ratio)}x`],
      ],
    ),
    "",
    `### Meter upload of ${meters.records.toLocaleString("en")} records (peak heap retained)`,
    "",
    table(
      ["source", "peak heap", "÷ async iterable"],
      [
        [`async generator into \`uploadMeterRecords\` (${fixed(meters.streamSeconds, 1)} s)`, mb(meters.streamBytes), "1.00x"],
        ["one array built first", mb(meters.arrayBytes), `${fixed(meters.ratio)}x`],
      ],
    ),
  ].join("\n");

  console.log(report);
  if (quick) return;
  const readme = await readFile(README, "utf8");
  const [head, rest] = readme.split(START);
  const tail = rest?.split(END)[1];
  if (head === undefined || tail === undefined) throw new Error(`${README} lacks the ${START} … ${END} markers`);
  await writeFile(README, `${head}${START}\n${report}\n${END}${tail}`);
  console.log(`\nwrote the tables into ${README}`);
}

await main();
