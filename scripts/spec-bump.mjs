/**
 * `npm run spec:bump -- <new-spec.yaml|json> [--dry-run]`: replaces the
 * vendored spec, lints it, regenerates `generated/`, prints the operations
 * added, removed and changed, writes a changeset whose bump follows the change
 * (removed or narrowed = major, added = minor, documentation = patch) and runs
 * the contract suite. With `--dry-run` it only prints the difference.
 *
 * @example
 * // npm run spec:bump -- ~/Downloads/flatpeak-api-spec-anode.yaml
 */
import { spawn } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { diffSurfaces, formatDiff, surfaceOf } from "./api-surface.mjs";
import { ROOT_DIR, SPEC_FILE } from "./spec-paths.mjs";
import { bundleSpecJson } from "./toolchain.mjs";

const REDOCLY = join(ROOT_DIR, "node_modules", ".bin", "redocly");
const BUNDLED = join(ROOT_DIR, "generated", "openapi.json");

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function runVisible(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT_DIR, stdio: "inherit" });
    child.once("exit", (code) => done(code ?? 1));
  });
}

/**
 * @param {import("./api-surface.mjs").SurfaceDiff} diff
 * @param {string} from
 * @param {string} to
 */
function changesetText(diff, from, to) {
  const summary = [
    diff.added.length ? `${diff.added.length} operation(s) added (${diff.added.map((o) => o.id).join(", ")})` : "",
    diff.removed.length ? `${diff.removed.length} removed (${diff.removed.map((o) => o.id).join(", ")})` : "",
    diff.changed.length ? `${diff.changed.length} changed (${diff.changed.map((o) => o.id).join(", ")})` : "",
  ].filter(Boolean);
  const level = diff.level === "none" ? "patch" : diff.level;
  return `---\n"flatpeak-client": ${level}\n---\n\n**Spec:** the vendored Flatpeak API spec goes from \`${from}\` to \`${to}\`: ${summary.join("; ") || "no change to the API surface"}.\n`;
}

async function main() {
  const dryRun = process.argv.includes("--dry-run");
  const source = process.argv.slice(2).find((arg) => !arg.startsWith("--"));
  if (!source) throw new Error("usage: npm run spec:bump -- <path to the new spec> [--dry-run]");
  const newFile = resolve(process.cwd(), source);

  const before = JSON.parse(await readFile(BUNDLED, "utf8"));
  const after = await bundleSpecJson(newFile);
  const diff = diffSurfaces(surfaceOf(before), surfaceOf(after));
  console.log(`API surface ${before.info.version} → ${after.info.version}:\n${formatDiff(diff)}\nbump: ${diff.level}`);
  if (dryRun) return;

  const previous = await readFile(SPEC_FILE);
  await copyFile(newFile, SPEC_FILE);
  const checks = [
    [REDOCLY, ["lint", "--config", "openapi/redocly.yaml", SPEC_FILE]],
    [process.execPath, [join(ROOT_DIR, "scripts", "generate.mjs")]],
  ];
  for (const [command, args] of /** @type {Array<[string, string[]]>} */ (checks)) {
    if ((await runVisible(command, args)) !== 0) {
      await writeFile(SPEC_FILE, previous);
      await runVisible(process.execPath, [join(ROOT_DIR, "scripts", "generate.mjs")]);
      throw new Error("The new spec was rejected; the previous spec and generated/ are restored.");
    }
  }
  const changeset = join(ROOT_DIR, ".changeset", `spec-${String(after.info.version).replace(/[^a-z0-9]+/gi, "-")}.md`);
  await writeFile(changeset, changesetText(diff, before.info.version, after.info.version));
  console.log(`wrote ${changeset}`);

  const contract = await runVisible(process.execPath, [join(ROOT_DIR, "node_modules", "vitest", "vitest.mjs"), "run", "test/contract"]);
  if (contract !== 0) {
    console.error("The contract suite fails against the new spec: add or update the typed calls in test/contract/calls.ts.");
    process.exitCode = contract;
  }
}

await main();
