/**
 * What the launchers of local servers share (the Prism mock, Redis): a free
 * loopback port, a server process that keeps the end of what it printed and
 * dies with this one, and stopping it for sure.
 *
 * @example
 * import { freePort, startServerProcess } from "./local-process.mjs";
 * const server = startServerProcess("redis-server", ["--port", String(await freePort())]);
 * await server.stop();
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";
const STOP_TIMEOUT_MS = 5_000;

/** @returns {Promise<number>} a port nothing listens on right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Ends `child` (SIGTERM, then SIGKILL after 5 s) and waits for it to exit.
 * @param {import("node:child_process").ChildProcess} child
 * @returns {Promise<void>}
 */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * @typedef {object} ServerProcess
 * @property {import("node:child_process").ChildProcess} child
 * @property {() => string} printed the last 4,000 characters it printed, for error messages
 * @property {() => Promise<void>} stop stops it (see {@link stopProcess})
 * @property {() => Promise<void>} kill kills it at once (SIGKILL), as a crash would
 */

/**
 * Starts a server process that is killed if this process exits first.
 * @param {string} command
 * @param {string[]} args
 * @returns {ServerProcess}
 */
export function startServerProcess(command, args) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let printed = "";
  const collect = (/** @type {Buffer} */ chunk) => {
    printed = (printed + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    child,
    printed: () => printed,
    async stop() {
      process.off("exit", killOnExit);
      await stopProcess(child);
    },
    async kill() {
      process.off("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
