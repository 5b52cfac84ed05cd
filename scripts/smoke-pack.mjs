/**
 * `npm run smoke:pack`: proves the published package works for an app.
 * Builds and packs it, installs the tarball into a fresh project in a temp
 * folder (with Deno and Bun from npm), starts the Prism mock, then
 *  - runs an ES module and a CommonJS script that make typed calls to it,
 *  - runs the same runtime checks (login, a GET, a paginated list, a narrowed
 *    404, a timeout, a verified webhook delivery) under Node, Deno, Bun and
 *    workerd (the Cloudflare Workers runtime),
 *  - type-checks consumer files under `moduleResolution` node16 and bundler,
 *    with the DOM library and with only Node's types (`lib: ["es2022"]`,
 *    `types: ["node"]`), `skipLibCheck: false` throughout,
 *  - bundles the ES build for the browser and makes a call, and verifies a
 *    webhook delivery, in headless Chromium (Debian's `chromium`, installed
 *    when missing; `playwright-core`).
 *
 * @example
 * // npm run smoke:pack
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { startMock } from "./mock.mjs";
import { ROOT_DIR } from "./spec-paths.mjs";
import { compileProject } from "./toolchain.mjs";
import { startWorkerd } from "./workerd.mjs";

const run = promisify(execFile);
const CHROMIUM = "/usr/bin/chromium";
const FIXTURES = join(ROOT_DIR, "scripts", "smoke");

/**
 * Runs a command, failing with its output when it fails.
 * @param {string} command
 * @param {string[]} args
 * @param {import("node:child_process").ExecFileOptions} [options]
 */
async function sh(command, args, options = {}) {
  try {
    const { stdout } = await run(command, args, { maxBuffer: 32 * 1024 * 1024, ...options });
    return String(stdout);
  } catch (error) {
    const { stdout = "", stderr = "" } = /** @type {{ stdout?: string; stderr?: string }} */ (error);
    throw new Error(`${command} ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  }
}

/** @param {string} project */
async function packAndInstall(project) {
  await sh(process.execPath, [join(ROOT_DIR, "scripts", "build.mjs")]);
  // Built just above, so the pack skips the prepack build.
  const [packed] = JSON.parse(await sh("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", project], { cwd: ROOT_DIR }));
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "flatpeak-smoke-app", private: true }, null, 2));
  await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(project, packed.filename), "@opentelemetry/api@1", "@types/node@20", "playwright-core@1", "deno@2", "bun@1"], { cwd: project });
  for (const file of await readdir(FIXTURES)) await copyFile(join(FIXTURES, file), join(project, file));
  return packed;
}

/**
 * @param {string} project
 * @param {string} baseUrl
 */
async function runNodeApps(project, baseUrl) {
  const env = { ...process.env, FLATPEAK_BASE_URL: baseUrl };
  for (const app of ["esm.mjs", "cjs.cjs"]) process.stdout.write(await sh(process.execPath, [app], { cwd: project, env }));
}

/**
 * A server that accepts requests and never answers them, for the timeout check.
 * @returns {Promise<{ url: string; close(): void }>}
 */
async function startHangingServer() {
  const server = createServer(() => undefined);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  return { url: `http://127.0.0.1:${address.port}`, close };
}

/**
 * The runtime checks under Node, Deno, Bun and workerd.
 * @param {string} project
 * @param {string} baseUrl
 */
async function runRuntimeMatrix(project, baseUrl) {
  const hanging = await startHangingServer();
  const env = { ...process.env, FLATPEAK_BASE_URL: baseUrl, FLATPEAK_HANG_URL: hanging.url };
  const bin = (/** @type {string} */ name) => join(project, "node_modules", ".bin", name);
  try {
    process.stdout.write(await sh(process.execPath, ["runtime-main.mjs"], { cwd: project, env }));
    process.stdout.write(await sh(bin("deno"), ["run", "--allow-env", "--allow-net", "--allow-read", "runtime-main.mjs"], { cwd: project, env }));
    process.stdout.write(await sh(bin("bun"), ["runtime-main.mjs"], { cwd: project, env }));
    await runUnderWorkerd(project, baseUrl, hanging.url);
  } finally {
    hanging.close();
  }
}

/**
 * @param {string} project
 * @param {string} baseUrl
 * @param {string} hangUrl
 */
async function runUnderWorkerd(project, baseUrl, hangUrl) {
  const bundle = await build({ entryPoints: [join(project, "runtime-worker.mjs")], absWorkingDir: project, bundle: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], write: false, logLevel: "silent" });
  const worker = await startWorkerd({ script: bundle.outputFiles[0]?.text ?? "", bindings: { FLATPEAK_BASE_URL: baseUrl, FLATPEAK_HANG_URL: hangUrl } });
  try {
    const result = await (await fetch(worker.url)).json();
    if (!result.passed) throw new Error(`workerd: ${result.error}`);
    console.log(`workerd: ${result.passed.join(", ")}`);
  } finally {
    await worker.stop();
  }
}

/** @param {string} project */
async function typeCheckConsumers(project) {
  const common = { strict: true, noEmit: true, skipLibCheck: false, lib: ["ES2022", "DOM", "DOM.Iterable"], types: [], target: "ES2022" };
  // A Node backend's usual setup: no DOM library, Node's own types.
  const nodeOnly = { ...common, lib: ["ES2022"], types: ["node"] };
  const configs = {
    "tsconfig.node16.json": { compilerOptions: { ...common, module: "node16", moduleResolution: "node16" }, files: ["consumer.mts", "consumer.cts"] },
    "tsconfig.bundler.json": { compilerOptions: { ...common, module: "esnext", moduleResolution: "bundler" }, files: ["consumer.mts"] },
    "tsconfig.node-only-node16.json": { compilerOptions: { ...nodeOnly, module: "node16", moduleResolution: "node16" }, files: ["consumer.mts", "consumer.cts"] },
    "tsconfig.node-only-bundler.json": { compilerOptions: { ...nodeOnly, module: "esnext", moduleResolution: "bundler" }, files: ["consumer.mts"] },
  };
  for (const [name, config] of Object.entries(configs)) {
    await writeFile(join(project, name), JSON.stringify(config, null, 2));
    await compileProject(join(project, name));
    console.log(`types: ${name} compiles`);
  }
}

async function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing; install Debian's chromium package (apt-get install chromium).`);
  await sh("apt-get", ["update", "-qq"]);
  await sh("apt-get", ["install", "-y", "-qq", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/**
 * Serves `files` (name → contents) on a free loopback port.
 * @param {Record<string, string>} files
 * @returns {Promise<{ url: string; close(): Promise<void> }>}
 */
async function servePage(files) {
  const server = createServer((request, response) => {
    const name = (request.url ?? "/").split("?")[0]?.slice(1) || "index.html";
    const body = files[name];
    response.writeHead(body === undefined ? 404 : 200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/html" });
    response.end(body ?? "");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${address.port}/`, close: () => new Promise((resolve) => server.close(() => resolve(undefined))) };
}

/**
 * @param {string} project
 * @param {string} baseUrl
 */
async function callFromBrowser(project, baseUrl) {
  await ensureChromium();
  const bundle = await build({ entryPoints: [join(project, "browser-entry.mjs")], absWorkingDir: project, bundle: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  const page = await servePage({ "index.html": '<!doctype html><script type="module" src="/bundle.js"></script>', "bundle.js": bundle.outputFiles[0]?.text ?? "" });
  const { chromium } = await import(pathToFileURL(join(project, "node_modules", "playwright-core", "index.mjs")).href);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`${page.url}?api=${encodeURIComponent(baseUrl)}`);
    await tab.waitForFunction(() => /** @type {any} */ (globalThis).smokeResult !== undefined, undefined, { timeout: 20_000 });
    const result = await tab.evaluate(() => /** @type {any} */ (globalThis).smokeResult);
    if (result.id !== "cus_65e421d1daa4a24082b4f590" || result.status !== 200) throw new Error(`browser call failed: ${JSON.stringify(result)}`);
    if (result.webhook !== "location.update") throw new Error(`browser webhook verification failed: ${JSON.stringify(result)}`);
    console.log(`browser: ${result.id} and a verified webhook delivery from headless Chromium`);
  } finally {
    await browser.close();
    await page.close();
  }
}

async function main() {
  const project = await mkdtemp(join(tmpdir(), "flatpeak-smoke-"));
  const mock = await startMock();
  try {
    const packed = await packAndInstall(project);
    console.log(`packed ${packed.filename}: ${packed.entryCount} files, ${packed.size} B`);
    await runNodeApps(project, mock.baseUrl);
    await runRuntimeMatrix(project, mock.baseUrl);
    await typeCheckConsumers(project);
    await callFromBrowser(project, mock.baseUrl);
    console.log("smoke: all good");
  } finally {
    await mock.stop();
    await rm(project, { recursive: true, force: true });
  }
}

await main();
