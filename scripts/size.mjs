/**
 * `npm run size`: what an app ships when it imports each entry of this
 * package (`.`, `./webhooks`, `./testing`) — the built ESM entry and what it
 * pulls in, bundled for the browser, minified and gzipped — one line per
 * entry, each checked against its `maxGzipBytes` in the `sizeBudget` of
 * package.json. Exits 1 when any entry is above its budget. Needs
 * `npm run build` first.
 *
 * @example
 * // npm run build && npm run size
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT_DIR } from "./spec-paths.mjs";

/**
 * Minified and gzipped size of everything `entry` pulls in.
 * @param {string} entry
 * @returns {Promise<{ minified: number; gzipped: number }>}
 */
export async function shippedSize(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

async function main() {
  const pkg = JSON.parse(await readFile(join(ROOT_DIR, "package.json"), "utf8"));
  for (const [subpath, { entry, maxGzipBytes }] of Object.entries(pkg.sizeBudget)) {
    const { minified, gzipped } = await shippedSize(join(ROOT_DIR, entry));
    const verdict = gzipped <= maxGzipBytes ? "within" : "OVER";
    const name = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    console.log(`${name}: ${minified} B minified, ${gzipped} B min+gzip — ${verdict} the budget of ${maxGzipBytes} B`);
    if (gzipped > maxGzipBytes) process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
