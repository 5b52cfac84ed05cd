/**
 * Where the vendored spec, its generated artefacts and the package's
 * manifest live.
 *
 * @example
 * import { SPEC_FILE } from "./spec-paths.mjs";
 * console.log(SPEC_FILE); // absolute path of the vendored spec
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);

/** Absolute path of the repository root. */
export const ROOT_DIR = fileURLToPath(root);
/** The vendored OpenAPI document: the single source of truth. */
export const SPEC_FILE = fileURLToPath(new URL("openapi/flatpeak-api-spec-anode.yaml", root));
/** Folder that only `npm run generate` writes. */
export const GENERATED_DIR = fileURLToPath(new URL("generated/", root));

/**
 * The package's `package.json`, parsed.
 * @returns {Promise<any>}
 */
export async function readPackageJson() {
  return JSON.parse(await readFile(new URL("package.json", root), "utf8"));
}
