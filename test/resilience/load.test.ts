/**
 * Load: 1,000 concurrent calls through one client (sixteen rounds), in a child
 * process so that "exits on its own" can be observed: one login, every call
 * answered, heap stable, and no socket or timer left to keep Node alive.
 */
import { execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
/** How long the child may take in all, and to exit once it has printed its summary. */
const RUN_DEADLINE_MS = 60_000;
const EXIT_AFTER_SUMMARY_MS = 3_000;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", `${root}test/resilience/tsconfig.load.json`]);
}, 60_000);

function runChild(): Promise<{ code: number | null; stdout: string; exitedInTime: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", `${root}.tmp/load/test/resilience/load-run.js`], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    let exitedInTime = true;
    const kill = () => {
      exitedInTime = false;
      child.kill("SIGKILL");
    };
    let deadline = setTimeout(kill, RUN_DEADLINE_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes("\n")) return;
      clearTimeout(deadline);
      deadline = setTimeout(kill, EXIT_AFTER_SUMMARY_MS);
    });
    child.on("exit", (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, exitedInTime });
    });
  });
}

describe("1,000 concurrent calls through one client", () => {
  it("log in once, all succeed, keep memory flat, and leave nothing running", async () => {
    const { code, stdout, exitedInTime } = await runChild();
    expect(exitedInTime).toBe(true);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { calls: number; answered: number; logins: number; heapGrowthBytes: number };
    expect(summary.answered).toBe(summary.calls);
    expect(summary.calls).toBe(16_000);
    expect(summary.logins).toBe(1);
    expect(summary.heapGrowthBytes).toBeLessThan(4 * 1024 * 1024);
  }, 90_000);
});
