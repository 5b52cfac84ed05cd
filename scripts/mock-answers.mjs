/**
 * The default answer of every operation, for the in-process mock of
 * `flatpeak-client/testing`: the documented example of its success response,
 * or else a body built from its schema (examples, enums, formats), plus what
 * a request must carry (path and required query parameters, a body).
 *
 * @example
 * import { mockOperations } from "./mock-answers.mjs";
 * const operations = mockOperations(bundledSpec);
 * operations["GET /customers/{id}"].body.object; // "customer"
 */

const METHODS = ["get", "put", "post", "delete", "patch"];
const MAX_DEPTH = 10;

/**
 * @param {any} spec
 * @param {any} node
 * @returns {any}
 */
function resolve(spec, node) {
  if (!node?.$ref) return node;
  return resolve(spec, node.$ref.slice(2).split("/").reduce((/** @type {any} */ at, /** @type {string} */ key) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec));
}

/**
 * A value that fits `schema`: its example, else one built from its parts.
 * @param {any} spec
 * @param {any} schema
 * @param {number} [depth]
 * @returns {unknown}
 */
export function exampleOf(spec, schema, depth = 0) {
  const node = resolve(spec, schema);
  if (!node || depth > MAX_DEPTH) return undefined;
  if (node.example !== undefined) return node.example;
  if (node.allOf) return Object.assign({}, ...node.allOf.map((/** @type {any} */ part) => exampleOf(spec, part, depth + 1)));
  if (node.oneOf || node.anyOf) return exampleOf(spec, (node.oneOf ?? node.anyOf)[0], depth + 1);
  if (node.enum) return node.enum[0];
  if (node.default !== undefined) return node.default;
  if (node.type === "array") return [exampleOf(spec, node.items, depth + 1)];
  if (node.type === "object" || node.properties) {
    const entries = Object.entries(node.properties ?? {})
      .filter(([, property]) => !resolve(spec, property)?.writeOnly)
      .map(([name, property]) => [name, exampleOf(spec, property, depth + 1)])
      .filter(([, value]) => value !== undefined);
    return Object.fromEntries(entries);
  }
  return primitive(node);
}

/** @param {any} node */
function primitive(node) {
  if (node.type === "string") return node.format === "date-time" ? "2024-01-01T00:00:00Z" : node.format === "date" ? "2024-01-01" : "string";
  if (node.type === "integer" || node.type === "number") return node.minimum ?? 0;
  if (node.type === "boolean") return false;
  return undefined;
}

/**
 * @param {any} spec
 * @param {any} response
 * @returns {unknown}
 */
function responseExample(spec, response) {
  const media = resolve(spec, response)?.content?.["application/json"];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const named = Object.values(media.examples ?? {})[0];
  if (named) return resolve(spec, named).value;
  return exampleOf(spec, media.schema);
}

/**
 * Every operation of a bundled spec with its default answer and what a
 * request must carry.
 * @param {any} spec
 * @returns {Record<string, { status: number; body: unknown; statuses: number[]; pathParams: string[]; requiredQuery: string[]; queryTypes: Record<string, string>; requestBody: "required" | "optional" | "none" }>}
 */
export function mockOperations(spec) {
  /** @type {Record<string, any>} */
  const operations = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const operation = item[method];
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => resolve(spec, parameter));
      const statuses = Object.keys(operation.responses).map(Number).sort((a, b) => a - b);
      const status = statuses.find((code) => code >= 200 && code < 300) ?? 200;
      const requestBody = resolve(spec, operation.requestBody);
      operations[`${method.toUpperCase()} ${path}`] = {
        status,
        body: responseExample(spec, operation.responses[String(status)]) ?? null,
        statuses,
        pathParams: parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name),
        requiredQuery: parameters.filter((parameter) => parameter.in === "query" && parameter.required).map((parameter) => parameter.name),
        queryTypes: Object.fromEntries(
          parameters
            .filter((parameter) => parameter.in === "query" && ["integer", "number", "boolean"].includes(resolve(spec, parameter.schema)?.type))
            .map((parameter) => [parameter.name, resolve(spec, parameter.schema).type]),
        ),
        requestBody: requestBody ? (requestBody.required ? "required" : "optional") : "none",
      };
    }
  }
  return operations;
}
