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
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, ResponseObject>;
}
interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { responses: Record<string, ResponseObject>; schemas: Record<string, unknown> };
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

/** JSON pointer (inside the spec) of the JSON schema of an operation's request body. */
function requestSchemaPointer(key: string): string {
  const [method = "", path = ""] = key.split(" ");
  if (!operation(key).requestBody) throw new Error(`${key} takes no request body`);
  const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
  return `#/paths/${escape(path)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
}

/**
 * How to validate: `partial` leaves out the "must have required property"
 * errors, for examples the docs print shortened.
 */
export interface ViolationOptions {
  partial?: boolean;
}

function violations(pointer: string, body: unknown, { partial = false }: ViolationOptions): string[] {
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
    validators.set(pointer, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? [])
    .filter((error) => !(partial && error.keyword === "required"))
    .map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
}

/**
 * Checks a response body against the schema the spec gives for that
 * operation and status; returns the violations, none when it conforms.
 */
export function responseViolations(key: string, status: number, body: unknown, options: ViolationOptions = {}): string[] {
  return violations(responseSchemaPointer(key, status), body, options);
}

/** Checks a request body against the operation's request schema. */
export function requestViolations(key: string, body: unknown, options: ViolationOptions = {}): string[] {
  return violations(requestSchemaPointer(key), body, options);
}

/** Checks a value against a component schema, e.g. `"Error"`. */
export function schemaViolations(name: string, value: unknown, options: ViolationOptions = {}): string[] {
  if (!(name in spec.components.schemas)) throw new Error(`no schema ${name} in the spec`);
  return violations(`#/components/schemas/${name}`, value, options);
}
