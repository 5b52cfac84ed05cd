/**
 * Writes the per-file mutation scores of the latest `npm run test:mutation`
 * (`reports/mutation/mutation.json`) into test/README.md, between the
 * `mutation:start` and `mutation:end` markers.
 *
 * @example
 * // npm run test:mutation   (runs this after StrykerJS)
 */
import { readFile, writeFile } from "node:fs/promises";
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
 * @returns {{ killed: number; counted: number; disabled: number; static: number; score: number }}
 */
function score(mutants) {
  const killed = mutants.filter((m) => DETECTED.has(m.status)).length;
  const counted = mutants.filter((m) => COUNTED.has(m.status)).length;
  const ignored = mutants.filter((m) => m.status === "Ignored");
  const staticOnes = ignored.filter((m) => /static/i.test(m.statusReason ?? "")).length;
  return { killed, counted, disabled: ignored.length - staticOnes, static: staticOnes, score: counted === 0 ? 100 : (killed / counted) * 100 };
}

async function main() {
  /** @type {{ files: Record<string, { mutants: Array<{ status: string; statusReason?: string }> }> }} */
  const report = JSON.parse(await readFile(REPORT, "utf8"));
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
  const rows = files.map(([file, { mutants }]) => {
    const s = score(mutants);
    return `| \`${file}\` | ${s.score.toFixed(1)}% | ${s.killed} / ${s.counted} | ${s.disabled} | ${s.static} |`;
  });
  const total = score(files.flatMap(([, { mutants }]) => mutants));
  const table = [
    `Latest run: ${new Date().toISOString().slice(0, 10)}, over ${files.length} file(s); **${total.score.toFixed(1)}%** (${total.killed} of ${total.counted} mutants killed or timed out; ${total.disabled} disabled with a reason in the code; ${total.static} static mutants not run).`,
    "",
    "| file | score | killed / counted | disabled | static |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  const readme = await readFile(README, "utf8");
  const [head, rest] = readme.split(START);
  const tail = rest?.split(END)[1];
  if (head === undefined || tail === undefined) throw new Error(`${README} lacks the ${START} … ${END} markers`);
  await writeFile(README, `${head}${START}\n${table}\n${END}${tail}`);
  console.log(`overall mutation score ${total.score.toFixed(1)}%; wrote the table into test/README.md`);
}

await main();
