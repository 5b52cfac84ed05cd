/**
 * `npm run spec:trace`: writes the *Inferred* list of `openapi/CHANGES.md`
 * from the spec's own trace. Every operation names the docs pages it was
 * checked against (`x-flatpeak-docs`) and the parts a page showed
 * (`x-verified`); every other part it has is inferred. `--check` writes
 * nothing and exits 1 when CHANGES.md is out of date.
 *
 * @example
 * // npm run spec:trace
 * // node scripts/spec-trace.mjs --check
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GENERATED_DIR, ROOT_DIR } from "./spec-paths.mjs";

const CHANGES_FILE = join(ROOT_DIR, "openapi", "CHANGES.md");
const START = "<!-- inferred:start -->";
const END = "<!-- inferred:end -->";
const METHODS = ["get", "put", "post", "delete", "patch"];

/**
 * The parts an operation has, in the words `x-verified` uses.
 * @param {any} operation
 * @param {any} pathItem
 * @returns {string[]}
 */
export function operationParts(operation, pathItem) {
  const parts = ["path"];
  if ((operation.parameters ?? []).length + (pathItem.parameters ?? []).length > 0) parts.push("parameters");
  if (operation.requestBody) parts.push("requestBody");
  for (const status of Object.keys(operation.responses ?? {})) parts.push(`responses.${status}`);
  parts.push("required");
  return parts;
}

/**
 * Every operation of a bundled spec with its trace.
 * @param {any} spec
 * @returns {Array<{ key: string; docs: string[]; verified: string[]; inferred: string[]; parts: string[] }>}
 */
export function traceOperations(spec) {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const parts = operationParts(operation, item);
      const verified = operation["x-verified"] ?? [];
      return {
        key: `${method.toUpperCase()} ${path}`,
        docs: operation["x-flatpeak-docs"] ?? [],
        verified,
        inferred: parts.filter((part) => !verified.includes(part)),
        parts,
      };
    }),
  );
}

/**
 * The *Inferred* list, one line per operation.
 * @param {any} spec
 * @returns {string}
 */
export function renderInferred(spec) {
  const lines = traceOperations(spec).map(({ key, docs, inferred }) => {
    const what = inferred.length === 0 ? "nothing" : inferred.map((part) => `\`${part}\``).join(", ");
    const where = docs.length === 0 ? " (no docs page of any version found)" : "";
    return `- \`${key}\`: ${what}${where}`;
  });
  return [START, ...lines, END].join("\n");
}

/**
 * CHANGES.md with its *Inferred* list replaced by the one the spec gives.
 * @param {string} changes
 * @param {any} spec
 * @returns {string}
 */
export function withInferred(changes, spec) {
  const start = changes.indexOf(START);
  const end = changes.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`${CHANGES_FILE} lacks the ${START} … ${END} markers.`);
  return `${changes.slice(0, start)}${renderInferred(spec)}${changes.slice(end + END.length)}`;
}

async function main() {
  const spec = JSON.parse(await readFile(join(GENERATED_DIR, "openapi.json"), "utf8"));
  const changes = await readFile(CHANGES_FILE, "utf8");
  const wanted = withInferred(changes, spec);
  if (wanted === changes) return console.log("openapi/CHANGES.md: the Inferred list is up to date.");
  if (process.argv.includes("--check")) {
    console.error("openapi/CHANGES.md: the Inferred list is stale. Run `npm run spec:trace` and commit the result.");
    process.exit(1);
  }
  await writeFile(CHANGES_FILE, wanted);
  console.log("wrote the Inferred list of openapi/CHANGES.md");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
