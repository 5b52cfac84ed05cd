/**
 * The API report of every entry of the package, made by API Extractor from
 * the built declarations: `test/api/<entry>.api.md`, one per `exports` subpath
 * (`flatpeak-client.api.md` for the main entry), committed.
 *
 * - `npm run api:report` writes the reports after a change to the surface;
 * - `npm run api:check` (CI) fails when a report is not what the code now
 *   exports, and when the change since the last release needs a bigger
 *   changeset than the pending ones declare (`api-changes.mjs`);
 * - `npm run version-packages` ends with `--release`, which keeps the
 *   reports of the new version in `test/api/released/`, the next check's
 *   baseline.
 *
 * Needs `npm run build` first.
 *
 * @example
 * // npm run build && npm run api:report
 */
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";
import { releaseCheck } from "./api-changes.mjs";
import { ROOT_DIR, readPackageJson } from "./spec-paths.mjs";

export const REPORT_FOLDER = join(ROOT_DIR, "test", "api");

/**
 * Each entry of the package: its subpath, the report's name and the
 * declaration file it starts from.
 * @returns {Promise<Array<{ subpath: string; name: string; declarations: string }>>}
 */
export async function packageEntries() {
  const pkg = await readPackageJson();
  return Object.entries(pkg.exports)
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => ({
      subpath,
      name: subpath === "." ? pkg.name : `${pkg.name}-${subpath.slice(2)}`,
      declarations: join(ROOT_DIR, /** @type {{ import: { types: string } }} */ (target).import.types),
    }));
}

/**
 * Runs API Extractor on one entry; with `update`, writes its report, else
 * only says whether the committed one is still right.
 * @param {{ name: string; declarations: string }} entry
 * @param {boolean} update
 * @returns {{ changed: boolean; errors: number; warnings: number }}
 */
function report(entry, update) {
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT_DIR,
      mainEntryPointFilePath: entry.declarations,
      compiler: { overrideTsconfig: { compilerOptions: { lib: ["ES2022", "DOM", "DOM.Iterable"], types: [], strict: true, module: "node16", moduleResolution: "node16", skipLibCheck: true } } },
      apiReport: { enabled: true, reportFileName: `${entry.name}.api.md`, reportFolder: REPORT_FOLDER, reportTempFolder: join(ROOT_DIR, ".tmp", "api") },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning }, "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None }, "ae-undocumented": { logLevel: ExtractorLogLevel.None }, "ae-forgotten-export": { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(ROOT_DIR, "package.json"),
  });
  const result = Extractor.invoke(config, { localBuild: update, printApiReportDiff: !update, messageCallback: quietAbout });
  return { changed: result.apiReportChanged, errors: result.errorCount, warnings: result.warningCount };
}

/** Keeps API Extractor's notices about its own TypeScript version out of the output. */
function quietAbout(/** @type {{ messageId: string; handled: boolean }} */ message) {
  if (message.messageId === "console-preamble" || message.messageId === "console-compiler-version-notice") {
    message.handled = true;
  }
}

async function main() {
  if (process.argv.includes("--release")) {
    await rm(join(REPORT_FOLDER, "released"), { recursive: true, force: true });
    await mkdir(join(REPORT_FOLDER, "released"), { recursive: true });
    for (const name of (await readdir(REPORT_FOLDER)).filter((file) => file.endsWith(".api.md"))) await copyFile(join(REPORT_FOLDER, name), join(REPORT_FOLDER, "released", name));
    console.log("kept the API reports of this release in test/api/released/");
    return;
  }
  const update = process.argv.includes("--update");
  await mkdir(REPORT_FOLDER, { recursive: true });
  let failed = false;
  for (const entry of await packageEntries()) {
    const { changed, errors } = report(entry, update);
    if (errors > 0) failed = true;
    if (changed && !update) {
      failed = true;
      console.error(`test/api/${entry.name}.api.md is not what ${entry.subpath} exports now: run npm run api:report, and add a changeset for the change.`);
    }
  }
  if (!update) {
    const problems = await releaseCheck(REPORT_FOLDER);
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) failed = true;
  }
  if (failed) process.exit(1);
  console.log(update ? "wrote the API reports in test/api/" : "the API reports match the code, and the pending changesets cover the change since the last release");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
