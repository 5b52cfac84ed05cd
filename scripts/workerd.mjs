/**
 * Runs an ES module Worker under workerd (the Cloudflare Workers runtime, from
 * npm) on a free loopback port, with plain-text bindings and outbound access
 * to loopback servers, until `stop()`.
 *
 * @example
 * import { startWorkerd } from "./workerd.mjs";
 * const worker = await startWorkerd({ script: bundledSource, bindings: { FLATPEAK_BASE_URL: mock.baseUrl } });
 * await fetch(`${worker.url}/`);
 * await worker.stop();
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT_DIR } from "./spec-paths.mjs";

const WORKERD = join(ROOT_DIR, "node_modules", ".bin", "workerd");

/** @returns {Promise<number>} a port that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * @param {number} port
 * @param {Record<string, string>} bindings
 * @returns {string} the workerd configuration
 */
function config(port, bindings) {
  const texts = Object.entries(bindings).map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ ${texts.join(", ")} ],
  globalOutbound = "loopback",
);
`;
}

/**
 * @param {{ script: string; bindings?: Record<string, string> }} options
 * @returns {Promise<{ url: string; stop(): Promise<void> }>}
 */
export async function startWorkerd({ script, bindings = {} }) {
  const dir = await mkdtemp(join(tmpdir(), "flatpeak-workerd-"));
  const port = await freePort();
  await writeFile(join(dir, "worker.js"), script);
  await writeFile(join(dir, "config.capnp"), config(port, bindings));
  const child = spawn(WORKERD, ["serve", join(dir, "config.capnp"), "--verbose"], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (const startedAt = Date.now(); Date.now() - startedAt < 15_000; ) {
    if (child.exitCode !== null) break;
    const ready = await fetch(url).then(() => true, () => false);
    if (ready) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error("workerd did not start within 15 s");
}
