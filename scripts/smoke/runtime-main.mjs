// Runs the runtime checks under Node, Deno or Bun, reading the URLs from the environment.
import { runChecks } from "./runtime-checks.mjs";

const runtime = globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : globalThis.Bun ? `bun ${globalThis.Bun.version}` : `node ${process.version}`;
const passed = await runChecks({ baseUrl: process.env.FLATPEAK_BASE_URL, hangUrl: process.env.FLATPEAK_HANG_URL });
console.log(`${runtime}: ${passed.join(", ")}`);
