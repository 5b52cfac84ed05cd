/**
 * The README's tables are complete: the options table names every option of
 * the client, the events table every type of call event, and the
 * OpenTelemetry section a pair of `@opentelemetry/api` and SDK versions that
 * installs together — the pair these tests run on.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_OPTIONS } from "../../src/client/options.js";

const ROOT = new URL("../../", import.meta.url);
const README = readFileSync(new URL("README.md", ROOT), "utf8");

/** The first cells of the table that follows `heading`'s text. */
function firstColumn(after: string): string {
  const rest = README.split(after)[1] ?? "";
  const table = rest.slice(rest.indexOf("\n|")).split("\n\n")[0] ?? "";
  return table
    .split("\n")
    .filter((row) => row.startsWith("| "))
    .map((row) => row.split(" | ")[0] ?? "")
    .join("\n");
}

function installed(name: string): { version: string; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), "utf8"));
}

describe("the README's tables", () => {
  it("name every option of the client", () => {
    const names = firstColumn("## Options");
    for (const option of Object.keys(CLIENT_OPTIONS)) expect(names, option).toContain(`\`${option}\``);
  });

  it("name every type of call event", () => {
    const source = readFileSync(new URL("src/events/call-event.ts", ROOT), "utf8");
    const union = source.slice(source.indexOf("export type FlatpeakCallEvent ="), source.indexOf(";\n", source.indexOf("export type FlatpeakCallEvent =")));
    const types = [...union.matchAll(/type: ((?:"[a-z_]+"(?: \| )?)+)/g)].flatMap((match) => (match[1] ?? "").split(" | ").map((type) => type.replaceAll('"', "")));
    expect(types).toContain("token_store_failed");
    const names = firstColumn("`callEvents({ onEvent })` reports:");
    for (const type of types) expect(names, type).toContain(`\`${type}\``);
  });

  it("name a pair of OpenTelemetry API and SDK versions that installs together, the pair the tests run on", () => {
    const line = /npm install (@opentelemetry\/api@\S+)((?: @opentelemetry\/sdk-\S+)+)/.exec(README);
    expect(line).not.toBeNull();
    const [, api = "", sdks = ""] = line ?? [];
    expect(api).toBe("@opentelemetry/api@~1.9.0");
    const apiVersion = installed("@opentelemetry/api").version;
    expect(apiVersion).toMatch(/^1\.9\.\d+$/);
    for (const sdk of sdks.trim().split(" ")) {
      const [name = "", range = ""] = sdk.split(/(?<=.)@/);
      const [major, minor] = range.replace("^", "").split(".").map(Number);
      const { version, peerDependencies } = installed(name);
      expect(version.split(".")[0], name).toBe(String(major));
      expect(Number(version.split(".")[1]), name).toBeGreaterThanOrEqual(minor ?? 0);
      expect(peerDependencies?.["@opentelemetry/api"], name).toMatch(/<1\.10\.0$/);
    }
  });
});
