/**
 * The vendored spec as bundled by `npm run generate`, for tests that walk it.
 */
import { readFileSync } from "node:fs";

interface SpecDocument {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

/** The bundled spec, parsed. */
export const spec: SpecDocument = JSON.parse(
  readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"),
) as SpecDocument;

/** Every operation of the spec as `"METHOD /path"`, e.g. `"PATCH /customers/{id}"`. */
export function specOperations(): string[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}
