/**
 * The spec's trace to the docs, and what every operation must declare.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderInferred, traceOperations } from "../../scripts/spec-trace.mjs";
import { spec } from "../helpers/spec.js";

const operations = traceOperations(spec);
const changes = readFileSync(new URL("../../openapi/CHANGES.md", import.meta.url), "utf8");

describe("traceability", () => {
  it.each(operations.map((operation) => [operation.key, operation] as const))("%s names its docs pages and what they showed", (_key, operation) => {
    const raw = spec.paths[operation.key.split(" ")[1] ?? ""]?.[operation.key.split(" ")[0]?.toLowerCase() ?? ""] as unknown as Record<string, unknown>;
    expect(Array.isArray(raw["x-flatpeak-docs"]), "x-flatpeak-docs is missing").toBe(true);
    expect(Array.isArray(raw["x-verified"]), "x-verified is missing").toBe(true);
    for (const url of operation.docs) expect(url).toMatch(/^https:\/\/(docs\.flatpeak\.com|flatpeak\.mintlify\.app)\//);
    expect(operation.parts).toEqual(expect.arrayContaining(operation.verified));
    if (operation.docs.length === 0) expect(operation.verified).toEqual([]);
  });

  it("keeps the Inferred list of CHANGES.md in step with x-verified", () => {
    expect(changes).toContain(renderInferred(spec));
  });
});

describe("what every operation declares", () => {
  it.each(operations.map(({ key }) => key))("%s answers 422, 429 and 500 through the shared responses", (key) => {
    const [method = "", path = ""] = key.split(" ");
    const responses = spec.paths[path]?.[method.toLowerCase()]?.responses ?? {};
    const shared = key === "GET /jwks.json" ? ["429", "500"] : ["422", "429", "500"];
    for (const status of shared) expect(responses[status]?.$ref).toBe(`#/components/responses/${status}`);
  });

  it("declares the Flatpeak-Version header on every response", () => {
    const withoutHeader: string[] = [];
    const components = spec.components.responses as Record<string, { headers?: Record<string, unknown> }>;
    for (const { key } of operations) {
      const [method = "", path = ""] = key.split(" ");
      for (const [status, response] of Object.entries(spec.paths[path]?.[method.toLowerCase()]?.responses ?? {})) {
        const resolved = (response.$ref ? components[response.$ref.split("/").pop() ?? ""] : response) as { headers?: Record<string, unknown> };
        if (!resolved?.headers?.["Flatpeak-Version"]) withoutHeader.push(`${key} ${status}`);
      }
    }
    expect(withoutHeader).toEqual([]);
  });
});
