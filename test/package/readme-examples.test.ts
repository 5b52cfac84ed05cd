/**
 * The README's list of examples is complete: every file of `examples/` (and
 * the `testing/` folder) is named in it, it names no file that is gone, and
 * it links no repository while package.json names none.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);

function listed(): string[] {
  const readme = readFileSync(new URL("README.md", ROOT), "utf8");
  const table = readme.split("<!-- examples:start -->")[1]?.split("<!-- examples:end -->")[0] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split(" | ")[0] ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ""));
}

describe("the README's examples", () => {
  it("name every file of examples/, and only those", () => {
    const files = readdirSync(new URL("examples/", ROOT), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.name.endsWith(".ts"))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
    expect(listed().sort()).toEqual(files);
  });

  it("name their paths without a link to a repository, since package.json names none and the npm package does not hold them", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { repository?: unknown; homepage?: unknown; files: string[] };
    expect([pkg.repository, pkg.homepage]).toEqual([undefined, undefined]);
    expect(readFileSync(new URL("README.md", ROOT), "utf8")).not.toMatch(/https:\/\/github\.com/);
    expect(pkg.files).not.toContain("examples");
  });
});
