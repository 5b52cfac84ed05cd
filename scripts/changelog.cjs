/**
 * The changelog lines `npm run version-packages` writes for each changeset
 * (the `changelog` of `.changeset/config.json`): its first paragraph as one
 * line, and each further paragraph (a breaking change's `Migration:`) under
 * it, so that CHANGELOG.md reads as release notes — grouped by kind of
 * change, one line each, and what to change in an app for a breaking one.
 *
 * @example
 * // .changeset/first.md: "**Client:** paginate is a function.\n\nMigration: call paginate(flatpeak, path)."
 * // CHANGELOG.md:        "- **Client:** paginate is a function.\n  - Migration: call paginate(flatpeak, path)."
 */
"use strict";

/**
 * @param {{ summary: string }} changeset
 * @returns {Promise<string>}
 */
async function getReleaseLine(changeset) {
  const [line = "", ...rest] = changeset.summary.trim().split(/\n\s*\n/).map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim());
  return [`- ${line}`, ...rest.map((paragraph) => `  - ${paragraph}`)].join("\n");
}

/** The package has no dependents in this repository: no lines for them. */
async function getDependencyReleaseLine() {
  return "";
}

module.exports = { getReleaseLine, getDependencyReleaseLine };
