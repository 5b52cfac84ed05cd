/**
 * The publish check's rule: both builds of every module, the fixed files,
 * every exports target — and nothing else.
 */
import { describe, expect, it } from "vitest";
import { compareFiles, expectedFiles } from "../../scripts/publish-check.mjs";

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
