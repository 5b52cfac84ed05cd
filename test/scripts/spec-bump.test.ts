/**
 * The API-surface diff behind `npm run spec:bump`: which changes it reports
 * and the semver level each one calls for.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { diffSurfaces, formatDiff, surfaceOf } from "../../scripts/api-surface.mjs";
import { spec } from "../helpers/spec.js";

const copy = (): any => structuredClone(spec);
const diffTo = (edit: (doc: any) => void) => {
  const after = copy();
  edit(after);
  return diffSurfaces(surfaceOf(copy()), surfaceOf(after));
};

describe("API surface diff", () => {
  it("finds nothing between a spec and itself", () => {
    expect(diffTo(() => undefined)).toEqual({ level: "none", added: [], removed: [], changed: [] });
  });

  it("calls a removed operation major", () => {
    const diff = diffTo((doc) => delete doc.paths["/customers/{id}"].delete);
    expect(diff.level).toBe("major");
    expect(diff.removed.map((op) => op.operation)).toEqual(["DELETE /customers/{id}"]);
  });

  it("calls an added operation minor", () => {
    const diff = diffTo((doc) => {
      doc.paths["/widgets"] = { get: { operationId: "list-widgets", responses: { "200": { description: "ok" } } } };
    });
    expect(diff.level).toBe("minor");
    expect(diff.added.map((op) => `${op.operation} ${op.id}`)).toEqual(["GET /widgets list-widgets"]);
  });

  it("calls a new optional response field minor, on every operation returning it", () => {
    const diff = diffTo((doc) => {
      doc.components.schemas.Customer.properties.email = { type: "string" };
    });
    expect(diff.level).toBe("minor");
    expect(diff.changed.map((op) => op.operation).sort()).toEqual(["GET /customers", "GET /customers/{id}", "PATCH /customers/{id}", "POST /customers"]);
    expect(formatDiff(diff)).toContain("+ response 200 application/json.data[].email  [minor]");
  });

  it("calls a removed response field or a changed type major", () => {
    expect(diffTo((doc) => delete doc.components.schemas.Location.properties.timezone).level).toBe("major");
    expect(diffTo((doc) => (doc.components.schemas.MeterBatch.properties.records_submitted.type = "string")).level).toBe("major");
  });

  it("calls a newly required request field or a tighter limit major, a looser one minor", () => {
    expect(diffTo((doc) => (doc.components.schemas.CustomerCreate.required = ["reference_id"])).level).toBe("major");
    expect(diffTo((doc) => (doc.components.parameters.limit.schema.maximum = 50)).level).toBe("major");
    expect(diffTo((doc) => delete doc.components.schemas.TariffCreate.required).level).toBe("minor");
  });

  it("calls a new optional request parameter and a new enum value minor", () => {
    const diff = diffTo((doc) => {
      doc.paths["/events"].get.parameters.push({ in: "query", name: "since", schema: { type: "string" } });
      doc.components.schemas.TariffDirection.enum.push("STORAGE");
    });
    expect(diff.level).toBe("minor");
  });

  it("calls documentation-only changes patch", () => {
    const diff = diffTo((doc) => {
      doc.paths["/customers"].get.description = "Lists your customers.";
      doc.components.schemas.Customer.properties.id.description = "The customer's id.";
    });
    expect(diff.level).toBe("patch");
    expect(diff.changed.every((op) => op.level === "patch" && op.changes.length === 0)).toBe(true);
  });
});

describe("npm run spec:bump -- --dry-run", () => {
  it("prints the operations added, removed and changed with the bump level, and changes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spec-bump-test-"));
    try {
      const next = copy();
      next.info.version = "2026-01-01.next";
      next.paths["/widgets"] = { get: { operationId: "list-widgets", summary: "List widgets", responses: { "200": { description: "ok" } } } };
      delete next.paths["/devices/{id}"].delete;
      const file = join(dir, "next.json");
      await writeFile(file, JSON.stringify(next));
      const { stdout } = await promisify(execFile)(process.execPath, ["scripts/spec-bump.mjs", "--dry-run", file]);
      expect(stdout).toContain("API surface 2025-09-14.anode → 2026-01-01.next");
      expect(stdout).toContain("+ GET /widgets (list-widgets)  [minor]");
      expect(stdout).toContain("- DELETE /devices/{id} (delete-device)  [major]");
      expect(stdout).toContain("bump: major");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
