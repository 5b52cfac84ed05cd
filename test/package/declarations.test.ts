/**
 * The type declarations the package ships hold only what its entries
 * export, and the types those exports are made of: the plugin seam, the
 * options' checks and the per-call path (`definePlugin`, `PluginParts`,
 * `CallStep`, `LoginContext`, `resolveOptions`, `ResolvedOptions` and the
 * rest marked `@internal`) are left out, and what is left type-checks on its
 * own, every file of it.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const INTERNAL = ["definePlugin", "partsOf", "PluginParts", "CallStep", "LoginContext", "resolveOptions", "ResolvedOptions", "Credentials", "CLIENT_OPTIONS", "createPipeline", "Pipeline", "callMethods"];

describe("the shipped declarations", () => {
  it("leave out what no entry exports, and type-check on their own", { timeout: 120_000 }, async () => {
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    const out = await mkdtemp(join(ROOT, ".tmp", "dts-"));
    try {
      await promisify(execFile)(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", out]);
      const files = (await readdir(out, { recursive: true, encoding: "utf8" })).filter((file) => file.endsWith(".d.ts"));
      expect(files).toContain(join("src", "client", "plugin.d.ts"));
      const text = (await Promise.all(files.map((file) => readFile(join(out, file), "utf8")))).join("\n");
      expect(text).toContain("export interface FlatpeakPlugin");
      for (const name of INTERNAL) expect(text, name).not.toMatch(new RegExp(`\\b${name}\\b`));
      const check = { compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, lib: ["ES2022", "DOM", "DOM.Iterable"], types: [], target: "ES2022", module: "node16", moduleResolution: "node16" }, include: ["**/*.d.ts"] };
      await writeFile(join(out, "tsconfig.json"), JSON.stringify(check));
      await promisify(execFile)(process.execPath, [TSC, "-p", join(out, "tsconfig.json")]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
