/**
 * Fingerprint of the vendored spec, recorded beside the generated types.
 *
 * @example
 * import { specSha256, assertGeneratedMatchesSpec } from "./spec-hash.mjs";
 * console.log(await specSha256()); // "9f86d08…"
 * await assertGeneratedMatchesSpec(); // throws when generated/ is stale
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { GENERATED_DIR, SPEC_FILE } from "./spec-paths.mjs";

/** The file in which `npm run generate` records the spec's sha256. */
export const SPEC_VERSION_FILE = join(GENERATED_DIR, "spec-version.ts");

/**
 * sha256 of the spec file's bytes, hex-encoded.
 * @param {string} [file] spec file to hash; the vendored spec by default
 * @returns {Promise<string>}
 */
export async function specSha256(file = SPEC_FILE) {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

/**
 * Throws unless the generated types were compiled from the spec as it is now.
 * @returns {Promise<void>}
 */
export async function assertGeneratedMatchesSpec() {
  const recorded = /export const SPEC_SHA256 = "([0-9a-f]{64})";/.exec(await readFile(SPEC_VERSION_FILE, "utf8"))?.[1];
  const actual = await specSha256();
  if (recorded !== actual) {
    throw new Error(
      `generated/ was compiled from another spec (recorded sha256 ${recorded ?? "missing"}, spec now ${actual}); run \`npm run generate\`.`,
    );
  }
}
