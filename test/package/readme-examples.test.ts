/**
 * The README's list of examples is complete: every file of `examples/` (and
 * the `testing/` folder) is named in it, it names no file that is gone, and
 * it links the folder in the repository that package.json names.
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

  it("are linked in the repository package.json names, since the npm package does not hold them", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as { repository: { url: string }; homepage: string; files: string[] };
    const repository = pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
    expect(pkg.homepage).toBe(`${repository}#readme`);
    expect(readFileSync(new URL("README.md", ROOT), "utf8")).toContain(`(${repository}/tree/main/examples)`);
    expect(pkg.files).not.toContain("examples");
  });
});
