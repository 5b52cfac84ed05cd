/**
 * `npm run size`: what an app ships when it imports from this package — one
 * line per `sizeBudget` entry of package.json (its key: the entry, then a
 * label of the line): an app that imports only `createFlatpeakClient` (the
 * helpers are tree-shaken away), only one of the plugins, stores or price
 * helpers of the main entry, every export of the main entry, and each
 * subpath entry (`./webhooks`, `./testing`), bundled
 * for the browser, minified and gzipped, each checked against its
 * `maxGzipBytes`. An entry's `external` packages (an optional peer
 * dependency the app brings itself, such as `@opentelemetry/api`) are not
 * counted. Exits 1 when any is above its budget. Needs `npm run build` first.
 *
 * @example
 * // npm run build && npm run size
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT_DIR, readPackageJson } from "./spec-paths.mjs";

/**
 * Minified and gzipped size of what an app ships that imports `imports` from
 * `entry` (everything the entry exports when `imports` is not given).
 * @param {string} entry
 * @param {string[]} [imports]
 * @param {string[]} [external] packages left out of the count
 * @returns {Promise<{ minified: number; gzipped: number }>}
 */
export async function shippedSize(entry, imports, external = []) {
  const app = imports && { contents: `import { ${imports.join(", ")} } from ${JSON.stringify(entry)};\nconsole.log(${imports.join(", ")});\n`, resolveDir: ROOT_DIR, loader: /** @type {const} */ ("js") };
  const result = await build({
    ...(app ? { stdin: app } : { entryPoints: [entry] }),
    bundle: true,
    external,
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
  const pkg = await readPackageJson();
  for (const [subpath, { entry, imports, external, maxGzipBytes }] of Object.entries(pkg.sizeBudget)) {
    const { minified, gzipped } = await shippedSize(join(ROOT_DIR, entry), imports, external);
    const verdict = gzipped <= maxGzipBytes ? "within" : "OVER";
    const [entryKey = ".", ...label] = subpath.split(" ");
    const name = `${pkg.name}${entryKey.slice(1)}${imports ? ` (${imports.join(", ")} only)` : label.map((word) => ` ${word}`).join("")}`;
    console.log(`${name}: ${minified} B minified, ${gzipped} B min+gzip — ${verdict} the budget of ${maxGzipBytes} B`);
    if (gzipped > maxGzipBytes) process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
