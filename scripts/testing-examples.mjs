/**
 * `npm run examples:testing`: runs the tiny test suites of
 * `examples/testing/`, which test app code with the in-process mock of
 * `flatpeak-client/testing`, under node:test, Jest and Vitest, against the
 * built package.
 *
 * @example
 * // npm run examples:testing
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT_DIR } from "./spec-paths.mjs";

const EXAMPLES = join(ROOT_DIR, "examples", "testing");
const bin = (/** @type {string} */ name) => join(ROOT_DIR, "node_modules", ".bin", name);

/**
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 */
function runVisible(label, command, args) {
  console.log(`\n=== ${label}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: EXAMPLES, stdio: "inherit", env: { ...process.env, CI: "true" } });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(undefined) : reject(new Error(`${label} failed with exit code ${code}`))));
  });
}

await runVisible("build", process.execPath, [join(ROOT_DIR, "scripts", "build.mjs")]);
await runVisible("node:test", process.execPath, ["--test", "node-test.test.mjs"]);
await runVisible("Jest", process.execPath, [bin("jest"), "--rootDir", EXAMPLES, "--testMatch", "**/*.jest.test.cjs"]);
await runVisible("Vitest", bin("vitest"), ["run", "--root", EXAMPLES, "--config", join(EXAMPLES, "vitest.config.mjs")]);
