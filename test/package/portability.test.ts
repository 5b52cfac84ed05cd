/**
 * What keeps src/ portable to every runtime: no Node built-ins and no Buffer
 * (the build type-checks src/ without Node's types too), and the webhook
 * entry verifies with Web Crypto only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = new URL("../../src/", import.meta.url).pathname;
const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));

describe("src/", () => {
  it.each(files)("%s imports no Node built-in and uses no Buffer", (file) => {
    const source = readFileSync(join(SRC, file), "utf8");
    expect(source).not.toMatch(/from ["']node:|require\(["']node:|from ["'](crypto|buffer|fs|http)["']/);
    expect(source).not.toMatch(/(?<![A-Za-z])Buffer\b/);
  });

  it("verifies webhook signatures with crypto.subtle", () => {
    expect(readFileSync(join(SRC, "webhooks", "verifier.ts"), "utf8")).toMatch(/crypto\.subtle\.verify\(/);
  });
});
