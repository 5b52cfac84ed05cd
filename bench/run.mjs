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
import { benchMeterUploadMemory } from "./meter-upload-memory.mjs";
import { benchPaginationMemory } from "./pagination-memory.mjs";
import { benchRequests } from "./requests.mjs";
import { benchTypeCheck } from "./typecheck.mjs";

const README = fileURLToPath(new URL("README.md", import.meta.url));
const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";
const REQUEST_TARGET = 1.1;
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

async function main() {
  const requests = await benchRequests({ timeMs: quick ? 300 : 2_000 });
  const sizes = await benchBundleSizes();
  const typecheck = await benchTypeCheck({ runs: quick ? 1 : 5 });
  const pagination = await benchPaginationMemory();
  const meters = await benchMeterUploadMemory();

  const report = [
    `Run on ${new Date().toISOString().slice(0, 10)} — ${machine()}.`,
    "",
    "### Request overhead (one request at a time, loopback server)",
    "",
    table(
      ["scenario", "contender", "req/s", "p50 ms", "p99 ms", "p50 ÷ raw fetch", `within ${REQUEST_TARGET}x`],
      requests.map((r) => [r.scenario, r.contender, fixed(r.opsPerSecond, 0), fixed(r.p50Ms, 3), fixed(r.p99Ms, 3), `${fixed(r.ratio)}x`, verdict(r.ratio <= REQUEST_TARGET)]),
    ),
    "",
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
