/**
 * Every JSON example printed on Flatpeak's anode reference pages and anode-era
 * guides is a fixture (`test/fixtures/docs/*.json`, with its source URL), and
 * each one is validated against the operation, status or schema it belongs to.
 * Shortened examples are checked for what they show, not for what they leave
 * out. Exempt examples (docs typos, superseded snapshots) must still fail, so
 * an exemption cannot outlive its reason.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requestViolations, responseViolations, schemaViolations, specOperations } from "../helpers/spec.js";

interface DocsExample {
  source: string;
  operation?: string;
  part?: "request" | "response";
  status?: number;
  schema?: string;
  truncated?: boolean;
  exempt?: string;
  example?: unknown;
  text?: string;
}

const folder = new URL("../fixtures/docs/", import.meta.url);
const fixtures = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .map((name) => [name, JSON.parse(readFileSync(new URL(name, folder), "utf8")) as DocsExample] as const);

/** What is wrong with an example, in the spec's eyes; empty when nothing is. */
function problems(fixture: DocsExample): string[] {
  let value = fixture.example;
  if (fixture.text !== undefined) {
    try {
      value = JSON.parse(fixture.text);
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
  }
  const options = { partial: fixture.truncated === true };
  if (fixture.schema) return schemaViolations(fixture.schema, value, options);
  if (!fixture.operation) throw new Error("a fixture names an operation or a schema");
  if (fixture.part === "request") return requestViolations(fixture.operation, value, options);
  return responseViolations(fixture.operation, fixture.status ?? 200, value, options);
}

describe("the docs' own examples", () => {
  it("are saved with their source and target", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    for (const [, fixture] of fixtures) {
      expect(fixture.source).toMatch(/^https:\/\/(docs\.flatpeak\.com|flatpeak\.mintlify\.app)\//);
      expect(fixture.example !== undefined || fixture.text !== undefined).toBe(true);
      if (fixture.operation) expect(specOperations()).toContain(fixture.operation);
    }
  });

  it.each(fixtures.filter(([, fixture]) => !fixture.exempt))("%s validates against the spec", (_name, fixture) => {
    expect(problems(fixture)).toEqual([]);
  });

  it.each(fixtures.filter(([, fixture]) => fixture.exempt))("%s is exempt, and still fails for the reason given", (_name, fixture) => {
    expect(fixture.exempt).toMatch(/^(docs typo|superseded)/);
    expect(problems(fixture)).not.toEqual([]);
  });
});
