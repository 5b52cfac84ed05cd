/**
 * `npm run demo`: starts the embedded Prism mock, compiles `examples/` and runs
 * the quickstart against the mock. Needs no credentials and no network.
 *
 * @example
 * // npm run demo
 * // npm run demo -- errors   (runs examples/errors.ts)
 */
import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMock } from "./mock.mjs";
import { ROOT_DIR } from "./spec-paths.mjs";

const run = promisify(execFile);

/** Compiles the examples (and what they import) into `.tmp/examples`. */
async function compileExamples() {
  try {
    await run(process.execPath, [join(ROOT_DIR, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT_DIR, "examples")]);
  } catch (error) {
    const output = /** @type {{ stdout?: string }} */ (error).stdout ?? "";
    throw new Error(`The examples do not compile:\n${output}`);
  }
}

/**
 * Runs one compiled example with the mock as its Flatpeak server.
 * @param {string} name example file name without extension
 * @param {string} baseUrl
 * @returns {Promise<number>} the example's exit code
 */
function runExample(name, baseUrl) {
  const file = join(ROOT_DIR, ".tmp", "examples", "examples", `${name}.js`);
  const env = { ...process.env, FLATPEAK_BASE_URL: baseUrl, FLATPEAK_ACCOUNT_ID: "acc_demo", FLATPEAK_API_KEY: "demo-key", FLATPEAK_MOCK: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

async function main() {
  const name = process.argv[2] ?? "quickstart";
  await compileExamples();
  const mock = await startMock();
  try {
    process.exitCode = await runExample(name, mock.baseUrl);
  } finally {
    await mock.stop();
  }
}

await main();
