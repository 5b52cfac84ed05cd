/**
 * The vendored spec as bundled by `npm run generate`, for tests that walk it
 * and validate what the server sent against it.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import ajvFormats from "ajv-formats";

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}
interface OperationObject {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { responses: Record<string, ResponseObject> };
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const SPEC_ID = "openapi.json";

/** The bundled spec, parsed. */
export const spec: SpecDocument = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as SpecDocument;

/** Every operation of the spec as `"METHOD /path"`, e.g. `"PATCH /customers/{id}"`. */
export function specOperations(): string[] {
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

function operation(key: string): OperationObject {
  const [method = "", path = ""] = key.split(" ");
  const found = spec.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`no operation ${key} in the spec`);
  return found;
}

/** The status codes an operation documents, e.g. `[202, 403, 404, 409]`. */
export function documentedStatuses(key: string): number[] {
  return Object.keys(operation(key).responses).map(Number);
}

/** JSON pointer (inside the spec) of the JSON schema of one documented response. */
function responseSchemaPointer(key: string, status: number): string {
  const [method = "", path = ""] = key.split(" ");
  const response = operation(key).responses[String(status)];
  if (!response) throw new Error(`${key} documents no ${status}`);
  const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
  const base = response.$ref ?? `#/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
  return `${base}/content/application~1json/schema`;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajvFormats.default(ajv);
ajv.addSchema(spec, SPEC_ID);
const validators = new Map<string, ValidateFunction>();

/**
 * Checks a response body against the schema the spec gives for that
 * operation and status; returns the violations, none when it conforms.
 */
export function responseViolations(key: string, status: number, body: unknown): string[] {
  const pointer = responseSchemaPointer(key, status);
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
}
