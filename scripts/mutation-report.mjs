/**
 * Writes the per-file mutation scores of the latest `npm run test:mutation`
 * (`reports/mutation/mutation.json`) into test/README.md, between the
 * `mutation:start` and `mutation:end` markers. Files the run did not test
 * (`-- --mutate src/<file>.ts`) keep their row from the previous run; rows
 * of files that no longer exist go.
 *
 * @example
 * // npm run test:mutation   (runs this after StrykerJS)
 */
import { access, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT_DIR } from "./spec-paths.mjs";

const REPORT = join(ROOT_DIR, "reports", "mutation", "mutation.json");
const README = join(ROOT_DIR, "test", "README.md");
const START = "<!-- mutation:start -->";
const END = "<!-- mutation:end -->";
const DETECTED = new Set(["Killed", "Timeout"]);
const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);

/**
 * @param {Array<{ status: string; statusReason?: string }>} mutants
 * @returns {Tally}
 */
function tally(mutants) {
  return {
    killed: mutants.filter((m) => DETECTED.has(m.status)).length,
    counted: mutants.filter((m) => COUNTED.has(m.status)).length,
    disabled: mutants.filter((m) => m.status === "Ignored").length,
  };
}

/** @typedef {{ killed: number; counted: number; disabled: number }} Tally */

/** @param {Tally} t */
const percent = (t) => (t.counted === 0 ? 100 : (t.killed / t.counted) * 100).toFixed(1);

/**
 * The rows of the table already in the README, so that a run over a few
 * files (`--mutate`) updates theirs and keeps the others.
 * @param {string} table
 * @returns {Map<string, Tally>}
 */
function previousRows(table) {
  const rows = new Map();
  for (const match of table.matchAll(/^\| `([^`]+)` \| [\d.]+% \| (\d+) \/ (\d+) \| (\d+) \|$/gm)) {
    const [, file, killed, counted, disabled] = match;
    rows.set(file, { killed: Number(killed), counted: Number(counted), disabled: Number(disabled) });
  }
  return rows;
}

/** @param {string} file */
const exists = (file) => access(file).then(() => true, () => false);

async function main() {
  /** @type {{ files: Record<string, { mutants: Array<{ status: string; statusReason?: string }> }> }} */
  const report = JSON.parse(await readFile(REPORT, "utf8"));
  const readme = await readFile(README, "utf8");
  const [head, rest] = readme.split(START);
  const [previous, tail] = rest?.split(END) ?? [];
  if (head === undefined || previous === undefined || tail === undefined) throw new Error(`${README} lacks the ${START} … ${END} markers`);
  const rows = previousRows(previous);
  for (const file of rows.keys()) if (!(await exists(join(ROOT_DIR, file)))) rows.delete(file);
  for (const [file, { mutants }] of Object.entries(report.files)) rows.set(file, tally(mutants));
  const files = [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total = files.reduce((sum, [, t]) => ({ killed: sum.killed + t.killed, counted: sum.counted + t.counted, disabled: sum.disabled + t.disabled }), { killed: 0, counted: 0, disabled: 0 });
  const lowest = files.reduce((low, row) => (Number(percent(row[1])) < Number(percent(low[1])) ? row : low));
  const table = [
    `Latest run: ${new Date().toISOString().slice(0, 10)}; ${files.length} file(s), ${Object.keys(report.files).length} of them in this run's report (files without runtime code, such as index files and types, have no mutants). **${percent(total)}%** overall (${total.killed} of ${total.counted} mutants killed or timed out; ${total.disabled} disabled with a reason in the code); lowest file \`${lowest[0]}\` at ${percent(lowest[1])}%.`,
    "",
    "| file | score | killed / counted | disabled |",
    "| --- | --- | --- | --- |",
    ...files.map(([file, t]) => `| \`${file}\` | ${percent(t)}% | ${t.killed} / ${t.counted} | ${t.disabled} |`),
  ].join("\n");
  await writeFile(README, `${head}${START}\n${table}\n${END}${tail}`);
  console.log(`overall mutation score ${percent(total)}%, lowest ${lowest[0]} ${percent(lowest[1])}%; wrote the table into test/README.md`);
}

await main();
