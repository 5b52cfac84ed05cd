/**
 * Starts a throwaway Redis server (Debian's `redis-server`) on a free
 * loopback port, in memory only, and waits until it answers PING; for the
 * tests and examples that need a real Redis.
 *
 * @example
 * import { startRedis } from "./scripts/redis.mjs";
 * const redis = await startRedis();
 * // … createClient({ url: redis.url }) …
 * await redis.stop();
 */
import { accessSync, constants } from "node:fs";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { LOOPBACK, freePort, startServerProcess } from "./local-process.mjs";

const READY_TIMEOUT_MS = 10_000;

/** What to do when `redis-server` is missing. */
export const REDIS_MISSING =
  "redis-server is not on PATH. Install it with `sudo apt-get install -y redis-server` (Debian, Ubuntu) or `brew install redis` (macOS); it is started and stopped by the run itself.";

/**
 * @typedef {object} RunningRedis
 * @property {string} url e.g. `redis://127.0.0.1:41234`
 * @property {number} port
 * @property {() => Promise<void>} stop shuts the server down and waits for it to exit
 * @property {() => Promise<void>} kill kills it at once (SIGKILL), as a crash would
 * @property {() => void} pause stops it (SIGSTOP): it holds its connections and answers nothing, as a stalled server does
 * @property {() => void} resume lets a paused server go on (SIGCONT)
 */

/** @returns {string | undefined} the `redis-server` on PATH, if any */
export function redisServerPath() {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const file = join(dir, "redis-server");
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * @param {number} port
 * @returns {Promise<boolean>} whether a Redis on `port` answers PING
 */
function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK);
    let reply = "";
    socket.setTimeout(500, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (reply.includes("\r\n")) socket.end();
    });
    socket.on("close", () => resolve(reply.startsWith("+PONG")));
    socket.on("error", () => undefined);
  });
}

/**
 * Starts `redis-server` on `port` (a free one when omitted), without
 * persistence, and resolves once it answers.
 * @param {{ port?: number }} [options]
 * @returns {Promise<RunningRedis>}
 */
export async function startRedis(options = {}) {
  const command = redisServerPath();
  if (command === undefined) throw new Error(REDIS_MISSING);
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no", "--protected-mode", "no"];
  const server = startServerProcess(command, args);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`redis-server did not start on port ${port}:\n${server.printed()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://${LOOPBACK}:${port}`,
    port,
    stop: server.stop,
    kill: server.kill,
    pause: () => void server.child.kill("SIGSTOP"),
    resume: () => void server.child.kill("SIGCONT"),
  };
}
