/**
 * What an app ships: each contender bundled with esbuild, minified and
 * gzipped — flatpeak-client (with openapi-fetch), plain openapi-fetch, and
 * Flatpeak's older SDK. Bundled for Node.js (its built-ins left out), since the
 * older SDK imports Node's `buffer` and has no browser build.
 *
 * @example
 * const rows = await benchBundleSizes();
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const CONTENDERS = {
  "flatpeak-client": 'export { createFlatpeakClient } from "flatpeak-client";',
  "openapi-fetch": 'export { default } from "openapi-fetch";',
  "@flat-peak/javascript-sdk": 'export { FlatpeakService } from "@flat-peak/javascript-sdk";',
};

/**
 * @typedef {{ contender: string; minifiedBytes: number; gzipBytes: number; ratio: number }} SizeRow
 */

/** @returns {Promise<SizeRow[]>} ratios relative to plain openapi-fetch */
export async function benchBundleSizes() {
  const sizes = [];
  for (const [contender, contents] of Object.entries(CONTENDERS)) {
    const result = await build({
      stdin: { contents, resolveDir: HERE, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "node",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    sizes.push({ contender, minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength });
  }
  const baseline = sizes.find((s) => s.contender === "openapi-fetch")?.gzipBytes ?? Number.NaN;
  return sizes.map((s) => ({ ...s, ratio: s.gzipBytes / baseline }));
}
