/**
 * Starts a Prism mock of the vendored spec on a free loopback port and waits
 * until it answers. Refuses to start when the spec no longer matches the
 * generated types, so tests never run against a spec the types don't describe.
 *
 * As a command (`npm run mock [-- --dynamic] [-- --port 4010]`) it runs until
 * interrupted.
 *
 * @example
 * import { startMock } from "./scripts/mock.mjs";
 * const mock = await startMock();
 * await fetch(`${mock.baseUrl}/customers`, { headers: { Authorization: "Bearer test" } });
 * await mock.stop();
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { SPEC_FILE } from "./spec-paths.mjs";
import { assertGeneratedMatchesSpec } from "./spec-hash.mjs";
import { LOOPBACK, freePort, startServerProcess } from "./local-process.mjs";

const READY_TIMEOUT_MS = 30_000;

/**
 * @typedef {object} MockOptions
 * @property {boolean} [dynamic] random schema-valid responses instead of examples
 * @property {number} [port] fixed port; a free one is picked when omitted
 * @property {string} [specFile] spec to serve; the vendored spec by default
 */

/**
 * @typedef {object} RunningMock
 * @property {string} baseUrl e.g. `http://127.0.0.1:41234`
 * @property {() => Promise<void>} stop ends the mock and waits for it to exit
 */

/** @returns {string} path of the Prism command-line entry point */
function prismEntry() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist", "index.js");
}

/**
 * Polls until Prism answers HTTP or the process exits.
 * @param {string} baseUrl
 * @param {import("node:child_process").ChildProcess} child
 * @param {() => string} output what Prism printed so far, for the error message
 */
async function waitUntilReady(baseUrl, child, output) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited with code ${child.exitCode}:\n${output()}`);
    try {
      await fetch(`${baseUrl}/__ready`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Prism did not answer on ${baseUrl} within ${READY_TIMEOUT_MS} ms:\n${output()}`);
}

/**
 * Starts Prism and resolves once it answers requests.
 * @param {MockOptions} [options]
 * @returns {Promise<RunningMock>}
 */
export async function startMock(options = {}) {
  const specFile = options.specFile ?? SPEC_FILE;
  if (specFile === SPEC_FILE) await assertGeneratedMatchesSpec();
  const port = options.port ?? (await freePort());
  const args = [prismEntry(), "mock", specFile, "--host", LOOPBACK, "--port", String(port)];
  if (options.dynamic) args.push("--dynamic");
  const server = startServerProcess(process.execPath, args);
  const baseUrl = `http://${LOOPBACK}:${port}`;
  try {
    await waitUntilReady(baseUrl, server.child, server.printed);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { baseUrl, stop: server.stop };
}

/** Runs the mock in the foreground until SIGINT or SIGTERM. */
async function runAsCommand() {
  const portFlag = process.argv.indexOf("--port");
  const mock = await startMock({
    dynamic: process.argv.includes("--dynamic"),
    ...(portFlag > 0 ? { port: Number(process.argv[portFlag + 1]) } : {}),
  });
  console.log(`Flatpeak mock listening on ${mock.baseUrl} (Ctrl+C to stop)`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void mock.stop().then(() => process.exit(0)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await runAsCommand();
