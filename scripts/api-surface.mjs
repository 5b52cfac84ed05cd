/**
 * The API surface of an OpenAPI document as sets of facts per operation, and
 * the difference between two surfaces with the semver level it calls for:
 * removed or narrowed = major, added = minor, documentation only = patch.
 *
 * @example
 * import { surfaceOf, diffSurfaces } from "./api-surface.mjs";
 * const diff = diffSurfaces(surfaceOf(oldSpec), surfaceOf(newSpec));
 * console.log(diff.level); // "minor"
 */

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const DOC_KEYS = new Set(["description", "summary", "example", "examples", "title", "externalDocs", "x-examples"]);
const CONSTRAINTS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "multipleOf"];
const LEVELS = ["none", "patch", "minor", "major"];

/**
 * @typedef {{ id: string; request: Set<string>; response: Set<string>; docs: string }} OperationSurface
 * @typedef {Map<string, OperationSurface>} Surface  keyed by "METHOD /path"
 * @typedef {"none" | "patch" | "minor" | "major"} Level
 * @typedef {{ sign: "+" | "-"; fact: string; level: Level }} FactChange
 * @typedef {{ operation: string; id: string; level: Level; changes: FactChange[] }} OperationChange
 * @typedef {{ level: Level; added: OperationChange[]; removed: OperationChange[]; changed: OperationChange[] }} SurfaceDiff
 */

/**
 * @param {any} doc
 * @param {string} ref
 */
function resolvePointer(doc, ref) {
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, key) => node?.[key], doc);
}

/**
 * @param {any} doc
 * @param {any} node
 * @param {Set<string>} [seen]
 * @returns {any}
 */
function deref(doc, node, seen = new Set()) {
  if (!node || typeof node !== "object" || typeof node.$ref !== "string") return node;
  if (seen.has(node.$ref)) return { recursive: node.$ref };
  return deref(doc, resolvePointer(doc, node.$ref), new Set([...seen, node.$ref]));
}

/**
 * Facts of a schema: its type, enum values, constraints, properties (and which
 * are required) and items, recursively.
 * @param {any} doc
 * @param {any} input
 * @param {string} at
 * @param {Set<string>} facts
 * @param {Set<string>} seen
 */
function schemaFacts(doc, input, at, facts, seen = new Set()) {
  const ref = input?.$ref;
  if (ref && seen.has(ref)) return void facts.add(`${at}: (recursive)`);
  const schema = deref(doc, input);
  if (!schema || typeof schema !== "object") return;
  const inner = ref ? new Set([...seen, ref]) : seen;
  for (const part of schema.allOf ?? []) schemaFacts(doc, part, at, facts, inner);
  for (const [kind, parts] of [["oneOf", schema.oneOf], ["anyOf", schema.anyOf]]) {
    (parts ?? []).forEach((/** @type {any} */ part, /** @type {number} */ i) => schemaFacts(doc, part, `${at} ${kind}[${i}]`, facts, inner));
  }
  if (schema.type) facts.add(`${at}: ${schema.type}${schema.format ? `<${schema.format}>` : ""}${schema.nullable ? " | null" : ""}`);
  for (const value of schema.enum ?? []) facts.add(`${at} = ${JSON.stringify(value)}`);
  for (const key of CONSTRAINTS) if (schema[key] !== undefined) facts.add(`${at} ${key} ${JSON.stringify(schema[key])}`);
  for (const name of schema.required ?? []) facts.add(`${at}.${name} required`);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    facts.add(`${at}.${name}`);
    schemaFacts(doc, property, `${at}.${name}`, facts, inner);
  }
  if (schema.items) schemaFacts(doc, schema.items, `${at}[]`, facts, inner);
}

/**
 * @param {any} doc
 * @param {any} pathItem
 * @param {any} operation
 */
function operationSurface(doc, pathItem, operation) {
  const request = new Set();
  const response = new Set();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const param = deref(doc, raw);
    const at = `${param.in} ${param.name}`;
    request.add(at);
    if (param.required) request.add(`${at} required`);
    schemaFacts(doc, param.schema, at, request);
  }
  const body = deref(doc, operation.requestBody);
  if (body) {
    request.add("body");
    if (body.required) request.add("body required");
    for (const [type, media] of Object.entries(body.content ?? {})) schemaFacts(doc, /** @type {any} */ (media).schema, `body ${type}`, request);
  }
  for (const [status, raw] of Object.entries(operation.responses ?? {})) {
    response.add(`${status}`);
    for (const [type, media] of Object.entries(deref(doc, raw)?.content ?? {})) schemaFacts(doc, /** @type {any} */ (media).schema, `${status} ${type}`, response);
  }
  for (const scheme of operation.security ?? []) request.add(`security ${Object.keys(scheme).join("+")}`);
  return { id: operation.operationId ?? "", request, response, docs: JSON.stringify(docsOf(doc, { parameters: pathItem.parameters, operation })) };
}

/**
 * Only the documentation text of a node tree, references followed.
 * @param {any} doc
 * @param {any} node
 * @param {Set<any>} [seen]
 * @returns {any}
 */
function docsOf(doc, node, seen = new Set()) {
  const value = deref(doc, node);
  if (!value || typeof value !== "object" || seen.has(value)) return null;
  seen.add(value);
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, child] of Object.entries(value)) {
    if (DOC_KEYS.has(key)) out[key] = child;
    else if (child && typeof child === "object") out[key] = docsOf(doc, child, seen);
  }
  return out;
}

/**
 * @param {any} doc a bundled OpenAPI 3.0 document
 * @returns {Surface}
 */
export function surfaceOf(doc) {
  /** @type {Surface} */
  const surface = new Map();
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = /** @type {any} */ (pathItem)[method];
      if (operation) surface.set(`${method.toUpperCase()} ${path}`, operationSurface(doc, pathItem, operation));
    }
  }
  return surface;
}

/**
 * How much a fact appearing (+) or disappearing (-) breaks clients.
 * @param {"request" | "response"} side
 * @param {"+" | "-"} sign
 * @param {string} fact
 * @returns {Level}
 */
function factLevel(side, sign, fact) {
  const isRequired = fact.endsWith(" required");
  const isConstraint = CONSTRAINTS.some((key) => fact.includes(` ${key} `));
  if (side === "request") {
    if (sign === "+") return isRequired || isConstraint ? "major" : "minor";
    return isRequired || isConstraint ? "minor" : "major";
  }
  if (sign === "+") return "minor";
  return "major";
}

/** @param {Level[]} levels @returns {Level} */
function highest(levels) {
  return levels.reduce((top, level) => (LEVELS.indexOf(level) > LEVELS.indexOf(top) ? level : top), /** @type {Level} */ ("none"));
}

/**
 * @param {OperationSurface} before
 * @param {OperationSurface} after
 * @returns {FactChange[]}
 */
function factChanges(before, after) {
  /** @type {FactChange[]} */
  const changes = [];
  for (const side of /** @type {const} */ (["request", "response"])) {
    for (const fact of before[side]) if (!after[side].has(fact)) changes.push({ sign: "-", fact: `${side} ${fact}`, level: factLevel(side, "-", fact) });
    for (const fact of after[side]) if (!before[side].has(fact)) changes.push({ sign: "+", fact: `${side} ${fact}`, level: factLevel(side, "+", fact) });
  }
  return changes;
}

/**
 * @param {Surface} before
 * @param {Surface} after
 * @returns {SurfaceDiff}
 */
export function diffSurfaces(before, after) {
  const added = [...after].filter(([key]) => !before.has(key)).map(([operation, s]) => ({ operation, id: s.id, level: /** @type {Level} */ ("minor"), changes: [] }));
  const removed = [...before].filter(([key]) => !after.has(key)).map(([operation, s]) => ({ operation, id: s.id, level: /** @type {Level} */ ("major"), changes: [] }));
  /** @type {OperationChange[]} */
  const changed = [];
  for (const [operation, old] of before) {
    const current = after.get(operation);
    if (!current) continue;
    const changes = factChanges(old, current);
    const level = changes.length > 0 ? highest(changes.map((c) => c.level)) : old.docs !== current.docs || old.id !== current.id ? "patch" : "none";
    if (level !== "none") changed.push({ operation, id: current.id, level, changes });
  }
  return { level: highest([...added, ...removed, ...changed].map((c) => c.level)), added, removed, changed };
}

/**
 * The diff as lines a person can read.
 * @param {SurfaceDiff} diff
 * @returns {string}
 */
export function formatDiff(diff) {
  const lines = [];
  for (const op of diff.added) lines.push(`  + ${op.operation} (${op.id})  [minor]`);
  for (const op of diff.removed) lines.push(`  - ${op.operation} (${op.id})  [major]`);
  for (const op of diff.changed) {
    lines.push(`  ~ ${op.operation} (${op.id})  [${op.level}]${op.changes.length === 0 ? " documentation only" : ""}`);
    for (const change of op.changes) lines.push(`      ${change.sign} ${change.fact}  [${change.level}]`);
  }
  if (lines.length === 0) lines.push("  (no change to the API surface)");
  return lines.join("\n");
}
