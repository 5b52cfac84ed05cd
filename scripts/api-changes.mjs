/**
 * Whether the pending changesets declare a big enough version bump for what
 * changed in the API reports since the last release (`test/api/released/`, the
 * reports as `npm run version-packages` left them): a report line removed or changed
 * (something removed or narrowed) needs a major changeset; only lines added
 * (something new) at least a minor. A changed line counts as a removal, so
 * a change that only widens a type still asks for a major until it is split
 * into an addition — except a union of string literals that only gained
 * members (a new reason or code to handle), which counts as an addition, as
 * a new enum value of the spec does.
 *
 * @example
 * const problems = await releaseCheck(join(ROOT_DIR, "test", "api"));
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT_DIR, readPackageJson } from "./spec-paths.mjs";

const LEVELS = ["none", "patch", "minor", "major"];

/**
 * The lines of an API report that declare something: inside its code block,
 * without blank lines and comments, and with the report's own renames of
 * two local aliases of one name (`Schemas_2`, `Price_3`) undone, since they
 * change with the order the entry meets them, not with the API.
 * @param {string} report
 * @returns {string[]}
 */
export function declarationLines(report) {
  const code = report.split("```ts")[1]?.split("```")[0] ?? "";
  return code
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("//"))
    .map((line) => line.replace(/\b([A-Z]\w*?)_\d+\b/g, "$1"));
}

/**
 * The bump a change from `before` to `after` needs: `major` when a line is
 * gone, `minor` when lines only came, `none` when the lines are the same.
 * @param {string | undefined} before the report at the last release; `undefined` for an entry it did not have
 * @param {string | undefined} after the report now; `undefined` for an entry that is gone
 * @returns {"none" | "minor" | "major"}
 */
export function requiredBump(before, after) {
  const old = declarationLines(before ?? "");
  const now = new Set(declarationLines(after ?? ""));
  if (old.some((line) => !now.has(line) && ![...now].some((wider) => widensLiterals(line, wider)))) return "major";
  const had = new Set(old);
  return [...now].some((line) => !had.has(line)) ? "minor" : "none";
}

/**
 * Whether `wider` is `line` with more members in its union of string
 * literals (`export type Reason = "a" | "b";` → `… "a" | "b" | "c";`).
 * @param {string} line
 * @param {string} wider
 * @returns {boolean}
 */
export function widensLiterals(line, wider) {
  const parts = (/** @type {string} */ text) => /^(.* = )((?:"[^"]*"(?: \| )?)+);$/.exec(text);
  const [was, is] = [parts(line), parts(wider)];
  if (!was || !is || was[1] !== is[1]) return false;
  const members = new Set(is[2]?.split(" | "));
  const before = was[2]?.split(" | ") ?? [];
  return members.size > before.length && before.every((member) => members.has(member));
}

/**
 * The biggest bump the changesets declare for `packageName`.
 * @param {string[]} changesets the text of each changeset file
 * @param {string} packageName
 * @returns {"none" | "patch" | "minor" | "major"}
 */
export function declaredBump(changesets, packageName) {
  let level = 0;
  for (const text of changesets) {
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    for (const line of front.split("\n")) {
      const match = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (match?.[1] === packageName) level = Math.max(level, LEVELS.indexOf(match[2] ?? "none"));
    }
  }
  return /** @type {"none" | "patch" | "minor" | "major"} */ (LEVELS[level]);
}

/**
 * What is wrong with the pending changesets for the change of the reports
 * in `reportFolder` since the last release (its `released/` folder); empty
 * when nothing is.
 * @param {string} reportFolder
 * @param {{ changesetFolder?: string; packageName?: string }} [options] where the changesets are (`.changeset/`) and the package they must name (this one)
 * @returns {Promise<string[]>}
 */
export async function releaseCheck(reportFolder, options = {}) {
  const changesetFolder = options.changesetFolder ?? join(ROOT_DIR, ".changeset");
  const packageName = options.packageName ?? (await readPackageJson()).name;
  const released = join(reportFolder, "released");
  const reports = async (/** @type {string} */ folder) => (await readdir(folder).catch(() => [])).filter((name) => name.endsWith(".api.md"));
  const [now, then] = [await reports(reportFolder), await reports(released)];
  let needed = "none";
  const reasons = [];
  for (const name of new Set([...now, ...then])) {
    const before = then.includes(name) ? await readFile(join(released, name), "utf8") : undefined;
    const after = now.includes(name) ? await readFile(join(reportFolder, name), "utf8") : undefined;
    const bump = requiredBump(before, after);
    if (bump !== "none") reasons.push(`${name} (${bump === "major" ? "something removed or changed" : "something added"})`);
    if (LEVELS.indexOf(bump) > LEVELS.indexOf(needed)) needed = bump;
  }
  const names = (await readdir(changesetFolder)).filter((name) => name.endsWith(".md") && name !== "README.md");
  const declared = declaredBump(await Promise.all(names.map((name) => readFile(join(changesetFolder, name), "utf8"))), packageName);
  if (LEVELS.indexOf(declared) >= LEVELS.indexOf(needed)) return [];
  return [`The API changed since the last release in ${reasons.join(", ")}, which needs a ${needed} changeset; the pending changesets declare ${declared}. Add one with npm run changeset.`];
}
