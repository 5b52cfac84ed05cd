/**
 * `npm run build`: compiles `src/` and `generated/` to `dist/esm` (ES modules)
 * and `dist/cjs` (CommonJS), each with `.d.ts` declarations.
 *
 * @example
 * // npm run build
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT_DIR } from "./spec-paths.mjs";
import { compileProject } from "./toolchain.mjs";

const dist = join(ROOT_DIR, "dist");

await rm(dist, { recursive: true, force: true });
await Promise.all(["tsconfig.build.json", "tsconfig.build-cjs.json"].map((project) => compileProject(join(ROOT_DIR, project))));
await mkdir(join(dist, "cjs"), { recursive: true });
await writeFile(join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log("built dist/esm and dist/cjs");
