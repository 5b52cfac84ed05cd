/**
 * The layout of src/ shows the design: files grouped in folders by concern,
 * no loose file beyond the main entry, no file over 200 lines, no import
 * cycle, and src/README.md naming every folder.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(folder = SRC): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The source files each file imports. */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)].map((match) => normalize(join(dirname(file), match[1] ?? "")).replace(/\.js$/, ".ts")).filter((path) => path.startsWith(SRC));
}

/** Every cycle of the graph `importsOf` draws, as the files along it. */
function cycles(files: string[], importsOf: (file: string) => string[] = imports): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") return void found.push([...path.slice(path.indexOf(file)), file]);
    state.set(file, "open");
    for (const next of importsOf(file)) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  return found;
}

describe("the layout of src/", () => {
  const files = sourceFiles();

  it("has no file outside a folder but the main entry", () => {
    expect(files.filter((file) => dirname(file) === normalize(SRC).replace(/\/$/, "")).map((file) => relative(SRC, file))).toEqual(["index.ts"]);
  });

  it("has no source file over 200 lines", () => {
    const long = files.map((file) => [relative(SRC, file), readFileSync(file, "utf8").split("\n").length - 1] as const).filter(([, lines]) => lines > 200);
    expect(long).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles(files).map((cycle) => cycle.map((file) => relative(SRC, file)))).toEqual([]);
    expect(imports(join(SRC, "index.ts")).length).toBeGreaterThan(10);
  });

  it("finds a cycle where there is one", () => {
    const graph = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(cycles(["d", "a"], (file) => graph.get(file) ?? [])).toEqual([["a", "b", "c", "a"]]);
  });

  it("names every folder in src/README.md", () => {
    const readme = readFileSync(join(SRC, "README.md"), "utf8");
    const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
    expect(folders.filter((folder) => !readme.includes(`| \`${folder}/\` |`))).toEqual([]);
    expect([...readme.matchAll(/^\| `([a-z]+)\/` \|/gm)].map((match) => match[1]).sort()).toEqual([...folders].sort());
  });
});
