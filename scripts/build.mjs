/**
 * `npm run build`: compiles `src/` and `generated/` to `dist/esm` (ES modules)
 * and `dist/cjs` (CommonJS), each with `.d.ts` declarations.
 *
 * @example
 * // npm run build
 */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT_DIR } from "./spec-paths.mjs";

const run = promisify(execFile);
const tsc = join(ROOT_DIR, "node_modules", "typescript", "bin", "tsc");
const dist = join(ROOT_DIR, "dist");

/** @param {string} project */
async function compile(project) {
  try {
    await run(process.execPath, [tsc, "-p", join(ROOT_DIR, project)]);
  } catch (error) {
    throw new Error(`${project} does not compile:\n${/** @type {{ stdout?: string }} */ (error).stdout ?? ""}`);
  }
}

await rm(dist, { recursive: true, force: true });
await Promise.all([compile("tsconfig.build.json"), compile("tsconfig.build-cjs.json")]);
await mkdir(join(dist, "cjs"), { recursive: true });
await writeFile(join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log("built dist/esm and dist/cjs");
