/**
 * `npm run check:publish`: `npm publish --dry-run` succeeds and would ship
 * exactly what an app needs — `package.json`, the README, the licence, the
 * changelog, the vendored spec and the ES module and CommonJS builds (code
 * and declarations, one of each per source file), every `exports` target
 * among them — and nothing else (no tests, source maps or build leftovers).
 * Exits 1 naming what is missing or extra.
 *
 * A real `npm publish` runs it as `prepublishOnly` with `--publishing`, and
 * it refuses that publish while package.json does not name the package's
 * `repository`, `homepage` and `bugs` (the README's readers, and npm's page,
 * are sent there); the dry run only says so.
 *
 * @example
 * // npm run check:publish
 */
import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ROOT_DIR, readPackageJson } from "./spec-paths.mjs";

const ALWAYS = ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "openapi/flatpeak-api-spec-anode.yaml", "dist/cjs/package.json"];

/**
 * What the package should hold: the fixed files, and for each module of
 * `src/` and `generated/` its `.js` and `.d.ts` in both builds.
 * @returns {Promise<Set<string>>}
 */
export async function expectedFiles() {
  /** @type {string[]} */
  const modules = [];
  for (const folder of ["src", "generated"]) {
    const entries = await readdir(join(ROOT_DIR, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
      modules.push(relative(ROOT_DIR, join(entry.parentPath, entry.name)).replace(/\.ts$/, ""));
    }
  }
  const built = ["esm", "cjs"].flatMap((format) => modules.flatMap((module) => [`dist/${format}/${module}.js`, `dist/${format}/${module}.d.ts`]));
  return new Set([...ALWAYS, ...built]);
}

/**
 * The files of the package that are not expected, and the expected ones it lacks.
 * @param {string[]} shipped
 * @param {Set<string>} expected
 * @param {string[]} exportTargets
 */
export function compareFiles(shipped, expected, exportTargets) {
  const have = new Set(shipped);
  return {
    extra: shipped.filter((file) => !expected.has(file)).sort(),
    missing: [...new Set([...expected, ...exportTargets])].filter((file) => !have.has(file)).sort(),
  };
}

/** @param {unknown} node @returns {string[]} every file path an `exports` map points to */
function targetsOf(node) {
  if (typeof node === "string") return [node.replace(/^\.\//, "")];
  if (node === null || typeof node !== "object") return [];
  return Object.values(node).flatMap(targetsOf);
}

/**
 * What package.json lacks for a real publish: the fields that say where the
 * package lives.
 * @param {{ repository?: { url?: string } | string; homepage?: string; bugs?: { url?: string } | string }} pkg
 * @returns {string[]}
 */
export function missingHome(pkg) {
  const url = (/** @type {unknown} */ field) => (typeof field === "string" ? field : /** @type {{ url?: unknown } | undefined} */ (field)?.url);
  const given = { repository: url(pkg.repository), homepage: pkg.homepage, bugs: url(pkg.bugs) };
  return Object.entries(given)
    .filter(([, value]) => typeof value !== "string" || !/^(git\+)?https:\/\//.test(value))
    .map(([name]) => name);
}

async function main() {
  const pkg = await readPackageJson();
  const home = missingHome(pkg);
  if (process.argv.includes("--publishing")) {
    if (home.length > 0 && process.env.npm_config_dry_run !== "true") {
      console.error(`refusing to publish: package.json does not name the package's ${home.join(", ")}; add them (https URLs of the real repository) first.`);
      process.exit(1);
    }
    return;
  }
  if (home.length > 0) console.log(`note: a real npm publish is refused until package.json names ${home.join(", ")}.`);
  const { stdout } = await promisify(execFile)("npm", ["publish", "--dry-run", "--json"], { cwd: ROOT_DIR, maxBuffer: 16 << 20 });
  const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
  const shipped = (report.files ?? report[pkg.name]?.files ?? []).map((/** @type {{ path: string }} */ file) => file.path);
  const { extra, missing } = compareFiles(shipped, await expectedFiles(), targetsOf(pkg.exports));
  if (extra.length > 0) console.error(`the package would ship files it should not:\n  ${extra.join("\n  ")}`);
  if (missing.length > 0) console.error(`the package would lack:\n  ${missing.join("\n  ")}`);
  if (extra.length > 0 || missing.length > 0) process.exit(1);
  console.log(`npm publish --dry-run: ${shipped.length} files, exactly the ones that should ship`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
