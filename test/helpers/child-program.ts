/**
 * Child processes for tests that need several real processes: a TypeScript
 * program of test/ bundled with esbuild (its packages left to node_modules),
 * started with its own environment, read line by line, killed or stopped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles `entry` (a path from the repository root) into `.tmp/programs/`, and returns the file to run. */
export async function buildProgram(entry: string): Promise<string> {
  const outfile = join(root, ".tmp", "programs", `${basename(entry, ".ts")}.mjs`);
  await build({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "silent" });
  return outfile;
}

export interface RunningProgram {
  child: ChildProcess;
  /** Every line the program printed on stdout so far. */
  lines: string[];
  /** Resolves with the first line (old or new) that `match` accepts; rejects if the program exits first. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGKILL, as a crash; resolves once it has exited. */
  kill(): Promise<void>;
}

/** Starts `file` with `env` added to this process's environment. */
export function startProgram(file: string, env: Record<string, string>): RunningProgram {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiting) wake();
  });
  child.once("exit", () => {
    for (const wake of waiting) wake();
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    lines,
    line(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no matching line within ${timeoutMs} ms; printed: ${lines.join(" | ")}`)), timeoutMs);
        const check = () => {
          const found = lines.find(match);
          if (found !== undefined) done(undefined, found);
          else if (exited()) done(new Error(`the program exited (${child.exitCode ?? child.signalCode}) first; printed: ${lines.join(" | ")}`));
        };
        const done = (error?: Error, found?: string) => {
          clearTimeout(timer);
          waiting.delete(check);
          if (error) reject(error);
          else resolve(found ?? "");
        };
        waiting.add(check);
        check();
      });
    },
    async kill() {
      if (exited()) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await gone;
    },
  };
}
