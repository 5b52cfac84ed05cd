/**
 * `npm run docs`: the API reference of every entry of the package, made by
 * TypeDoc from the TSDoc of the sources, into `.tmp/docs/` (not committed).
 * Fails on any TypeDoc warning — an export without documentation, a
 * `{@link}` that leads nowhere, a type an export uses but no entry exports.
 *
 * @example
 * // npm run docs   (then open .tmp/docs/index.html)
 */
import { join, relative } from "node:path";
import { Application, LogLevel, OptionDefaults } from "typedoc";
import { packageEntries } from "./api-report.mjs";
import { ROOT_DIR, readPackageJson } from "./spec-paths.mjs";

export const DOCS_FOLDER = join(ROOT_DIR, ".tmp", "docs");

/** The source file of each entry: `dist/esm/src/…/index.d.ts` → `src/…/index.ts`. */
async function entrySources() {
  return (await packageEntries()).map(({ declarations }) => join(ROOT_DIR, relative(join(ROOT_DIR, "dist", "esm"), declarations)).replace(/\.d\.ts$/, ".ts"));
}

/**
 * Helper types that exports use but that are not exports themselves: the
 * reference shows them inline.
 */
const INTERNAL_TYPES = ["Method", "InitArgument", "CallMethod", "HttpMethod", "WithTypedErrors", "SpecErrorCodes", "SPEC_VERSION", "ListEnvelope", "Records", "Schemas", "FlatpeakErrorInit", "FetchLike", "Span", "Section", "Price", "Operation", "MockOnce", "Listener", "KnownEvent", "JsonOf", "Handler"];

const pkg = await readPackageJson();
/** Where the sources are linked from, once package.json names a repository; until then the reference links none. */
const repository = pkg.repository?.url && String(pkg.repository.url).replace(/^git\+/, "").replace(/\.git$/, "");

const app = await Application.bootstrapWithPlugins({
  name: "flatpeak-client",
  entryPoints: await entrySources(),
  entryPointStrategy: "resolve",
  tsconfig: join(ROOT_DIR, "tsconfig.build.json"),
  out: DOCS_FOLDER,
  readme: "none",
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  logLevel: LogLevel.Warn,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  intentionallyNotExported: INTERNAL_TYPES,
  ...(repository ? { sourceLinkTemplate: `${repository}/blob/v${pkg.version}/{path}#L{line}` } : { disableSources: true }),
  blockTags: [...OptionDefaults.blockTags, "@description"],
  requiredToBeDocumented: ["Class", "Interface", "Function", "Variable", "TypeAlias", "Enum"],
});
const project = await app.convert();
if (project === undefined) process.exit(1);
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
await app.generateDocs(project, DOCS_FOLDER);
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
console.log(`wrote the API reference of every entry to ${DOCS_FOLDER}/index.html`);
