import { FLATPEAK_API_VERSION } from "../client/version.js";
import type { MockRoute } from "./mock-routes.js";
import type { MockFault } from "./mock-types.js";

/**
 * An answer of the mock: a status, a JSON body and headers.
 *
 * @example
 * const answer: Answer = { status: 404, body: { code: "not_found" } };
 */
export type Answer = { status: number; body: unknown; headers?: Record<string, string> | undefined };

/**
 * The `Response` of an answer, with Flatpeak's version header.
 *
 * @example
 * return respond({ status: 200, body: customer });
 */
export function respond({ status, body, headers }: Answer & { headers?: Record<string, string> | undefined }): Response {
  const noBody = status === 204 || body === undefined;
  return new Response(noBody ? null : JSON.stringify(body), { status, headers: { "content-type": "application/json", "Flatpeak-Version": FLATPEAK_API_VERSION, ...headers } });
}

/**
 * A 400 with Flatpeak's error body and `message`.
 *
 * @example
 * return respond(invalid("Query parameter limit must be an integer."));
 */
export function invalid(message: string): Answer {
  return { status: 400, body: { object: "error", type: "invalid_request", code: "invalid_request", message, live_mode: false } };
}

/**
 * A 404 with Flatpeak's error body and `message`.
 *
 * @example
 * return respond(notFound("The base URL has a path."));
 */
export function notFound(message: string): Answer {
  return { status: 404, body: { object: "error", type: "invalid_request", code: "not_found", message, live_mode: false } };
}

/**
 * Whether a handler answered a fault rather than an answer.
 *
 * @example
 * if (isFault(result)) return fault(result, request);
 */
export function isFault(value: unknown): value is MockFault {
  return typeof (value as Partial<MockFault> | null)?.fault === "string";
}

/**
 * What a fault does: answer, fail like a network, or never answer until the
 * request is aborted.
 *
 * @example
 * return fault({ fault: "timeout" }, request);
 */
export function fault(value: MockFault, request: Request): Promise<Response> {
  if (value.fault === "answer") return Promise.resolve(respond(value));
  if (value.fault === "network") return Promise.reject(new TypeError("fetch failed", { cause: new Error("mock network failure") }));
  return new Promise((_resolve, reject) => {
    const abort = () => reject(request.signal.reason);
    if (request.signal.aborted) abort();
    else request.signal.addEventListener("abort", abort);
  });
}

/**
 * A query as handlers get it: numbers and booleans read as the spec types them.
 *
 * @example
 * const query: Query = { limit: 10, non_persistent: true };
 */
export type Query = Record<string, QueryValue | QueryValue[]>;
type QueryValue = string | number | boolean;

/**
 * The query with the parameters the spec types as numbers or booleans read
 * as such, so that a handler gets the types its parameters say; the message
 * of a 400 for one that is not.
 *
 * @example
 * const query = typedQuery(route, queryOf(url));
 */
export function typedQuery(route: MockRoute, query: Record<string, string | string[]>): Query | string {
  const typed: Query = query;
  for (const [name, type] of Object.entries(route.queryTypes)) {
    const value = query[name];
    if (value === undefined) continue;
    const values = (Array.isArray(value) ? value : [value]).map((text) => (type === "boolean" ? (text === "true" ? true : text === "false" ? false : undefined) : /^-?\d+(\.\d+)?$/.test(text) && (type === "number" || !text.includes(".")) ? Number(text) : undefined));
    if (values.includes(undefined)) return `Query parameter ${name} must be ${type === "boolean" ? "true or false" : `a${type === "integer" ? "n integer" : " number"}`}.`;
    typed[name] = Array.isArray(value) ? (values as QueryValue[]) : (values[0] as QueryValue);
  }
  return typed;
}

/**
 * The query as an object without a prototype, so that no parameter name
 * (`__proto__` included) is anything but a key.
 *
 * @example
 * queryOf(new URL("https://api.flatpeak.com/customers?limit=2")); // { limit: "2" }
 */
export function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    // Stryker disable next-line StringLiteral: a name that is there has a first value, so the fallback is never used
    query[name] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

/**
 * A request body as JSON (`undefined` for none); `ok: false` with the text
 * for one that is not JSON.
 *
 * @example
 * const { ok, value } = parseBody(await request.text());
 */
export function parseBody(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: text === "" ? undefined : JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}
