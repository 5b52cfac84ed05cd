/**
 * `npm run test:mutation [-- <stryker options>]`: runs StrykerJS with the
 * options given (e.g. `-- --force --mutate src/a.ts,src/b.ts`), then writes
 * the per-file scores into test/README.md (`mutation-report.mjs`).
 *
 * @example
 * // npm run test:mutation -- --force --mutate src/webhooks/router.ts
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT_DIR } from "./spec-paths.mjs";

const stryker = join(ROOT_DIR, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
const code = await new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [stryker, "run", ...process.argv.slice(2)], { cwd: ROOT_DIR, stdio: "inherit" });
  child.once("error", reject);
  child.once("exit", (exitCode) => resolve(exitCode ?? 1));
});
if (code !== 0) process.exit(code);
await import("./mutation-report.mjs");
