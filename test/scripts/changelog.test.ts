/**
 * The changelog's lines: one per changeset, with its migration note under it.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const { getReleaseLine, getDependencyReleaseLine } = createRequire(import.meta.url)("../../scripts/changelog.cjs") as {
  getReleaseLine(changeset: { summary: string }): Promise<string>;
  getDependencyReleaseLine(): Promise<string>;
};

describe("the changelog lines of a release", () => {
  it("give a changeset's first paragraph as one line, its lines joined", async () => {
    expect(await getReleaseLine({ summary: "**Client:** paginate is\na function.\n" })).toBe("- **Client:** paginate is a function.");
  });

  it("put every further paragraph, such as a migration note, under that line", async () => {
    const summary = "**Client:** paginate is a function.\n\nMigration: call\n  `paginate(flatpeak, path)`.\n\n\nSee the README.";
    expect(await getReleaseLine({ summary })).toBe("- **Client:** paginate is a function.\n  - Migration: call `paginate(flatpeak, path)`.\n  - See the README.");
  });

  it("add no lines for dependents, which the package has none of", async () => {
    expect(await getDependencyReleaseLine()).toBe("");
  });
});
