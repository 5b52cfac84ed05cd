/**
 * The publish check's rule: both builds of every module, the fixed files,
 * every exports target — and nothing else; and no real publish while
 * package.json does not say where the package lives.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compareFiles, expectedFiles, missingHome } from "../../scripts/publish-check.mjs";

const SCRIPT = new URL("../../scripts/publish-check.mjs", import.meta.url).pathname;

describe("the files a publish should ship", () => {
  it("are both builds of every module of src/ and generated/, and the fixed files", async () => {
    const expected = await expectedFiles();
    for (const file of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "openapi/flatpeak-api-spec-anode.yaml", "dist/cjs/package.json", "dist/esm/src/index.js", "dist/cjs/src/index.d.ts", "dist/esm/src/prices/price-cache.js", "dist/cjs/generated/flatpeak.d.ts"]) {
      expect(expected.has(file), file).toBe(true);
    }
    expect([...expected].some((file) => file.includes("test/") || file.endsWith(".map") || file.startsWith("examples/"))).toBe(false);
  });

  it("name every file that should not ship and every one that is missing, an exports target included", () => {
    const expected = new Set(["package.json", "dist/esm/src/index.js"]);
    expect(compareFiles(["package.json", "dist/esm/src/index.js.map", "test/a.test.ts"], expected, ["dist/esm/src/index.js", "dist/esm/src/extra.js"])).toEqual({
      extra: ["dist/esm/src/index.js.map", "test/a.test.ts"],
      missing: ["dist/esm/src/extra.js", "dist/esm/src/index.js"],
    });
    expect(compareFiles(["package.json", "dist/esm/src/index.js"], expected, ["dist/esm/src/index.js"])).toEqual({ extra: [], missing: [] });
  });
});

describe("a real publish", () => {
  it.each([
    [{}, ["repository", "homepage", "bugs"]],
    [{ repository: { url: "git+https://example.org/a/b.git" }, homepage: "https://example.org/a/b#readme", bugs: { url: "https://example.org/a/b/issues" } }, []],
    [{ repository: "https://example.org/a/b", homepage: "https://example.org/a/b", bugs: "https://example.org/a/b/issues" }, []],
    [{ repository: { url: "" }, homepage: "http://example.org", bugs: {} }, ["repository", "homepage", "bugs"]],
  ])("of %j lacks %j", (pkg, missing) => {
    expect(missingHome(pkg)).toEqual(missing);
  });

  it("is refused while package.json names no repository, homepage and bugs; its dry run is not", async () => {
    const run = (env: Record<string, string>) => promisify(execFile)(process.execPath, [SCRIPT, "--publishing"], { env: { ...process.env, npm_config_dry_run: "", ...env } });
    const refused = await run({}).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toContain("refusing to publish: package.json does not name the package's repository, homepage, bugs");
    await expect(run({ npm_config_dry_run: "true" })).resolves.toMatchObject({ stderr: "" });
  });
});
