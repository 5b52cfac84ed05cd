/**
 * The two tool runs several scripts share: bundling an OpenAPI file to one
 * JSON document, and compiling a TypeScript project.
 *
 * @example
 * import { bundleSpecJson, compileProject } from "./toolchain.mjs";
 * const spec = await bundleSpecJson("openapi/flatpeak-api-spec-anode.yaml");
 * await compileProject("examples");
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT_DIR } from "./spec-paths.mjs";

const run = promisify(execFile);
const REDOCLY = join(ROOT_DIR, "node_modules", ".bin", "redocly");
const TSC = join(ROOT_DIR, "node_modules", "typescript", "bin", "tsc");

/**
 * An OpenAPI file (YAML or JSON) bundled into one document, `$ref`s kept internal.
 * @param {string} file
 * @returns {Promise<any>}
 */
export async function bundleSpecJson(file) {
  const dir = await mkdtemp(join(tmpdir(), "flatpeak-spec-"));
  try {
    const out = join(dir, "openapi.json");
    await run(REDOCLY, ["bundle", file, "--ext", "json", "--output", out]);
    return JSON.parse(await readFile(out, "utf8"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `tsc -p project`; throws with the compiler's output when it fails.
 * @param {string} project a tsconfig file or the folder holding one
 */
export async function compileProject(project) {
  try {
    await run(process.execPath, [TSC, "-p", project]);
  } catch (error) {
    throw new Error(`${project} does not compile:\n${/** @type {{ stdout?: string }} */ (error).stdout ?? ""}`);
  }
}
