/**
 * The release rule of the API reports: a line removed or changed needs a
 * major changeset, lines only added a minor, the same lines nothing.
 */
import { describe, expect, it } from "vitest";
import { declarationLines, declaredBump, requiredBump } from "../../scripts/api-changes.mjs";

const report = (...lines: string[]) => ["## API Report File", "", "```ts", "// @public", ...lines, "", "// (No @packageDocumentation comment for this package)", "```", ""].join("\n");

describe("the API report rule", () => {
  it("reads only the declarations of a report", () => {
    expect(declarationLines(report("export function a(): void;", "", "export const b: number;"))).toEqual(["export function a(): void;", "export const b: number;"]);
    expect(declarationLines("no code block")).toEqual([]);
  });

  it.each([
    ["the same lines", report("export function a(): void;"), report("export function a(): void;"), "none"],
    ["a line added", report("export function a(): void;"), report("export function a(): void;", "export function b(): void;"), "minor"],
    ["a line removed", report("export function a(): void;", "export function b(): void;"), report("export function a(): void;"), "major"],
    ["a line changed", report("export function a(x: string): void;"), report("export function a(x: number): void;"), "major"],
    ["a new entry", undefined, report("export function a(): void;"), "minor"],
    ["an entry gone", report("export function a(): void;"), undefined, "major"],
    ["only comments changed", report("// @beta", "export function a(): void;"), report("// @public", "export function a(): void;"), "none"],
  ] as const)("asks for %s: %s", (_name, before, after, bump) => {
    expect(requiredBump(before, after)).toBe(bump);
  });

  it("takes the biggest bump the changesets declare for the package, and no other package's", () => {
    const changeset = (bump: string, name = "flatpeak-client") => `---\n"${name}": ${bump}\n---\n\nA change.\n`;
    expect(declaredBump([changeset("patch"), changeset("minor")], "flatpeak-client")).toBe("minor");
    expect(declaredBump([changeset("major", "other-package"), changeset("patch")], "flatpeak-client")).toBe("patch");
    expect(declaredBump(["---\nflatpeak-client: major\n---\n", changeset("minor")], "flatpeak-client")).toBe("major");
    expect(declaredBump([], "flatpeak-client")).toBe("none");
    expect(declaredBump(["no front matter"], "flatpeak-client")).toBe("none");
  });
});
