/**
 * The README's size budget is the one `npm run size` enforces, every entry
 * of the package has a budget of its own there, and the README's API
 * reference names every entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);
type Budget = { entry: string; imports?: string[]; maxGzipBytes: number };

function packageJson(): { exports: Record<string, unknown>; sizeBudget: Record<string, Budget> } {
  return JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8"));
}

describe("the size budget", () => {
  it("of the main entry is the one the README states", () => {
    const main = packageJson().sizeBudget["."];
    expect(main?.imports).toEqual(["createFlatpeakClient"]);
    const stated = /The main entry's budget is \*\*([\d,]+) B\*\* min\+gzip/.exec(readFileSync(new URL("README.md", ROOT), "utf8"))?.[1];
    expect(stated?.replaceAll(",", "")).toBe(String(main?.maxGzipBytes));
  });

  it("has a line for every entry of the package", () => {
    const { exports, sizeBudget } = packageJson();
    const entries = Object.keys(exports).filter((subpath) => subpath !== "./package.json");
    expect(entries.filter((subpath) => sizeBudget[subpath] === undefined)).toEqual([]);
  });
  it("and every entry is named in the README's API reference", () => {
    const readme = readFileSync(new URL("README.md", ROOT), "utf8");
    const reference = readme.split("## API reference")[1]?.split("\n## ")[0] ?? "";
    const entries = Object.keys(packageJson().exports).filter((subpath) => subpath !== "./package.json");
    expect(entries.filter((subpath) => !reference.includes(`\`${subpath === "." ? "flatpeak-client" : `flatpeak-client/${subpath.slice(2)}`}\``))).toEqual([]);
  });
});
