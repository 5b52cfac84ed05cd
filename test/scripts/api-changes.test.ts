/**
 * The release rule of the API reports: a line removed or changed needs a
 * major changeset, lines only added a minor, the same lines nothing.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { declarationLines, declaredBump, releaseCheck, requiredBump } from "../../scripts/api-changes.mjs";

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
    ["a union of literals that gained a member", report('export type Reason = "a" | "b";'), report('export type Reason = "a" | "b" | "c";'), "minor"],
    ["a union of literals that lost a member", report('export type Reason = "a" | "b";'), report('export type Reason = "a" | "c";'), "major"],
    ["a union of literals whose type was renamed", report('export type Reason = "a";'), report('export type Cause = "a" | "b";'), "major"],
    ["a union that gained a member that is no literal", report('export type Reason = "a";'), report('export type Reason = "a" | string;'), "major"],
    ["a local alias the report renamed (Schemas_2 → Schemas_3)", report('export function a(x: Schemas_2["Customer"]): Price;'), report('export function a(x: Schemas_3["Customer"]): Price_2;'), "none"],
    ["a type whose own name ends in a number", report("export function a(): Version2;"), report("export function a(): Version3;"), "major"],
    ["the same union written again", report('export type Reason = "a" | "b";', "export const x: 1;"), report('export type Reason = "a" | "b";'), "major"],
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

describe("the release check", () => {
  async function folders(released: Record<string, string>, current: Record<string, string>, changesets: string[]) {
    const root = await mkdtemp(join(tmpdir(), "api-check-"));
    const reportFolder = join(root, "api");
    const changesetFolder = join(root, "changesets");
    await mkdir(join(reportFolder, "released"), { recursive: true });
    await mkdir(changesetFolder);
    for (const [name, text] of Object.entries(released)) await writeFile(join(reportFolder, "released", name), text);
    for (const [name, text] of Object.entries(current)) await writeFile(join(reportFolder, name), text);
    await writeFile(join(changesetFolder, "README.md"), "---\n\"flatpeak-client\": major\n---\n\nNot a changeset.\n");
    for (const [index, bump] of changesets.entries()) await writeFile(join(changesetFolder, `change-${index}.md`), `---\n"flatpeak-client": ${bump}\n---\n\nA change.\n`);
    return { root, check: () => releaseCheck(reportFolder, { changesetFolder, packageName: "flatpeak-client" }) };
  }
  const a = report("export function a(): void;");
  const ab = report("export function a(): void;", "export function b(): void;");

  it.each([
    ["something removed, with a minor changeset", { "x.api.md": ab }, { "x.api.md": a }, ["minor"], /x\.api\.md \(something removed or changed\), which needs a major changeset; the pending changesets declare minor/],
    ["something added, with only a patch", { "x.api.md": a }, { "x.api.md": ab }, ["patch"], /x\.api\.md \(something added\), which needs a minor changeset; the pending changesets declare patch/],
    ["an entry gone, with no changeset", { "x.api.md": a, "y.api.md": a }, { "x.api.md": a }, [], /y\.api\.md \(something removed or changed\), which needs a major changeset; the pending changesets declare none/],
  ])("fails for %s", async (_name, released, current, changesets, message) => {
    const { root, check } = await folders(released, current, changesets);
    try {
      const problems = await check();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(message);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it.each([
    ["something removed, with a major changeset", { "x.api.md": ab }, { "x.api.md": a }, ["patch", "major"]],
    ["something added, with a minor changeset", { "x.api.md": a }, { "x.api.md": ab }, ["minor"]],
    ["nothing changed, with no changeset", { "x.api.md": a }, { "x.api.md": a }, []],
  ])("passes for %s", async (_name, released, current, changesets) => {
    const { root, check } = await folders(released, current, changesets);
    try {
      expect(await check()).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
