/**
 * `npm run demo`: builds the package, starts the embedded Prism mock and runs
 * `examples/quickstart.ts` against it. `npm run examples` runs every example;
 * a `*-worker.ts` example is a Worker module, bundled and run under workerd,
 * and sent signed test deliveries; a `*-redis.ts` example gets a Redis server
 * of its own (`REDIS_URL`). Needs no credentials and no network.
 *
 * @example
 * // npm run demo
 * // npm run examples
 * // node scripts/demo.mjs errors pagination
 */
import { execFile, spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { startMock } from "./mock.mjs";
import { REDIS_MISSING, redisServerPath, startRedis } from "./redis.mjs";
import { ROOT_DIR } from "./spec-paths.mjs";
import { compileProject } from "./toolchain.mjs";
import { startWorkerd } from "./workerd.mjs";

const run = promisify(execFile);
const SUPPORT_FILES = new Set(["support", "webhook-delivery"]);

/** Builds the package the examples import, and compiles the examples into `.tmp/examples`. */
async function compile() {
  await run(process.execPath, [join(ROOT_DIR, "scripts", "build.mjs")]);
  await compileProject(join(ROOT_DIR, "examples"));
}

/** @returns {Promise<string[]>} every runnable example, by name */
async function allExamples() {
  const files = await readdir(join(ROOT_DIR, "examples"));
  return files.filter((file) => file.endsWith(".ts")).map((file) => file.slice(0, -3)).filter((name) => !SUPPORT_FILES.has(name)).sort();
}

/**
 * Runs one compiled example with the mock as its Flatpeak server.
 * @param {string} name example file name without extension
 * @param {string} baseUrl
 * @param {Record<string, string>} [extraEnv]
 * @returns {Promise<number>} the example's exit code
 */
function runExample(name, baseUrl, extraEnv = {}) {
  const file = join(ROOT_DIR, ".tmp", "examples", "examples", `${name}.js`);
  const env = { ...process.env, FLATPEAK_BASE_URL: baseUrl, FLATPEAK_ACCOUNT_ID: "acc_demo", FLATPEAK_API_KEY: "demo-key", FLATPEAK_MOCK: "1", ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env, stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

/**
 * Bundles a Worker example, runs it under workerd with a local JWKS of the
 * test signer, and sends it signed deliveries.
 * @param {string} name
 * @returns {Promise<number>} 0 when the Worker answered every delivery right
 */
async function runWorkerExample(name) {
  const bundled = await build({
    entryPoints: [join(ROOT_DIR, "examples", `${name}.ts`)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const delivery = await import(pathToFileURL(join(ROOT_DIR, ".tmp", "examples", "examples", "webhook-delivery.js")).href);
  const jwks = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(delivery.signer.jwks)));
  await new Promise((resolve) => jwks.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (jwks.address());
  const worker = await startWorkerd({ script: bundled.outputFiles[0]?.text ?? "", bindings: { FLATPEAK_JWKS_URL: `http://127.0.0.1:${address.port}/jwks.json` } });
  try {
    await delivery.deliverTestEvents((/** @type {Request} */ request) => fetch(request), `${worker.url}/webhooks/flatpeak`);
    return 0;
  } catch (error) {
    console.error(error);
    return 1;
  } finally {
    await worker.stop();
    jwks.close();
  }
}

/**
 * Runs an example that needs Redis with a server of its own; skips it, saying
 * how to install Redis, where `redis-server` is missing (outside CI).
 * @param {string} name
 * @param {string} baseUrl
 * @returns {Promise<number>}
 */
async function runRedisExample(name, baseUrl) {
  if (redisServerPath() === undefined && process.env.CI !== "true") {
    console.warn(`skipped examples/${name}.ts: ${REDIS_MISSING}`);
    return 0;
  }
  const redis = await startRedis();
  try {
    return await runExample(name, baseUrl, { REDIS_URL: redis.url });
  } finally {
    await redis.stop();
  }
}

async function main() {
  const requested = process.argv.slice(2);
  const names = requested.includes("--all") ? await allExamples() : requested.length > 0 ? requested : ["quickstart"];
  await compile();
  const mock = await startMock();
  try {
    for (const name of names) {
      if (names.length > 1) console.log(`\n=== examples/${name}.ts`);
      const code = name.endsWith("-worker") ? await runWorkerExample(name) : name.endsWith("-redis") ? await runRedisExample(name, mock.baseUrl) : await runExample(name, mock.baseUrl);
      if (code !== 0) {
        process.exitCode = code;
        console.error(`examples/${name}.ts exited with ${code}`);
        return;
      }
    }
  } finally {
    await mock.stop();
  }
}

await main();
