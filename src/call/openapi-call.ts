import { createFinalURL, createQuerySerializer, defaultBodySerializer, mergeHeaders, removeTrailingSlash, type Middleware } from "openapi-fetch";
import { OutgoingRequest } from "../http/outgoing-request.js";

/**
 * The options of one call, as openapi-fetch takes them (its `RequestInit`
 * keys and its own), and the keys the client adds.
 *
 * @example
 * const init: OpenapiInit = { params: { path: { id: "cus_1" } }, parseAs: "json" };
 */
export type OpenapiInit = {
  baseUrl?: string;
  headers?: unknown;
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: unknown };
  parseAs?: "json" | "text" | "blob" | "arrayBuffer" | "stream";
  querySerializer?: unknown;
  bodySerializer?: (body: unknown, headers?: unknown) => unknown;
  pathSerializer?: (path: string, params: Record<string, unknown>) => string;
  body?: unknown;
  middleware?: Middleware[];
  Request?: typeof Request;
  [option: string]: unknown;
};

/**
 * A call's result, as openapi-fetch resolves it.
 *
 * @example
 * const { data, error, response }: OpenapiResult = await openapiCall(client, "GET", "/customers", {}, fetch);
 */
export type OpenapiResult = { data?: unknown; error?: unknown; response: Response };

/**
 * What {@link openapiCall} reads of the client: its base URL, its headers
 * and the middleware of its `use`.
 *
 * @example
 * const client: OpenapiClient = { baseUrl: "https://api.flatpeak.com", headers: {}, middleware: [] };
 */
export interface OpenapiClient {
  baseUrl: string;
  headers: Record<string, string>;
  middleware: Middleware[];
}

/**
 * One call as openapi-fetch makes it, on openapi-fetch's own serializers:
 * the URL from the path and `params` (`pathSerializer`, `querySerializer`),
 * the body (`bodySerializer`, JSON by default) and headers (the client's,
 * the call's and `params.header`), one `Request` (an {@link OutgoingRequest}
 * unless the call gives `Request`) carrying every other option, the
 * middleware of `use` and of the call (`onRequest`, then `onError` or
 * `onResponse` in reverse), `fetch`, and the answer parsed by `parseAs`:
 * `data` for a 2xx, `error` (its JSON, or its text) for any other, neither
 * for 204, HEAD or an empty body.
 *
 * @example
 * const result = await openapiCall(client, "GET", "/customers/{id}", { params: { path: { id } } }, fetch);
 */
export async function openapiCall(client: OpenapiClient, method: string, path: string, init: OpenapiInit, fetch: (request: Request) => Promise<Response>): Promise<OpenapiResult> {
  const { baseUrl, headers, params = {}, parseAs = "json", querySerializer: querySerializerOption, bodySerializer = defaultBodySerializer, pathSerializer = fillPath, body, middleware = [], Request: RequestClass = OutgoingRequest, ...rest } = init;
  const querySerializer = typeof querySerializerOption === "function" ? (querySerializerOption as (query: Record<string, unknown>) => string) : createQuerySerializer(querySerializerOption as never);
  const serialized = body === undefined ? undefined : bodySerializer(body, mergeHeaders(client.headers, headers as never, params.header as never));
  const finalBaseUrl = baseUrl ? removeTrailingSlash(baseUrl) : client.baseUrl;
  const contentType = serialized === undefined || serialized instanceof FormData ? {} : { "Content-Type": "application/json" };
  const url = createFinalURL(path, { baseUrl: finalBaseUrl, params: params as never, querySerializer, pathSerializer });
  let request: Request = new RequestClass(url, { redirect: "follow", ...rest, method, body: (serialized ?? null) as BodyInit | null, headers: mergeHeaders(contentType, client.headers, headers as never, params.header as never) });
  for (const key in rest) if (!(key in request)) (request as unknown as Record<string, unknown>)[key] = rest[key];
  const middlewares = [...client.middleware, ...middleware];
  const context = middlewares.length === 0 ? undefined : { schemaPath: path, params, options: Object.freeze({ baseUrl: finalBaseUrl, fetch, parseAs, querySerializer, bodySerializer, pathSerializer }), id: Math.random().toString(36).slice(2, 11) };
  let response: Response | undefined;
  for (const handler of context === undefined ? [] : middlewares) {
    const result: unknown = typeof handler?.onRequest === "function" ? await handler.onRequest({ request, ...context } as never) : undefined;
    if (result instanceof Request) request = result;
    else if (result instanceof Response) {
      response = result;
      break;
    } else if (result) throw new Error("onRequest must return a Request, a Response or nothing");
  }
  response ??= await fetched(request, fetch, middlewares, context);
  return parsed(request, response, parseAs);
}

/**
 * The path with each `{name}` replaced by its parameter, URI-encoded, as
 * openapi-fetch's default does for the simple style, the only one of the
 * spec's paths (`/customers/{id}`); a parameter not given stays as it is.
 */
function fillPath(url: string, path: Record<string, unknown>): string {
  return url.replace(/\{([^{}]+)\}/g, (placeholder, name: string) => (path[name] == null ? placeholder : encodeURIComponent(String(path[name]))));
}

type Context = { schemaPath: string; params: unknown; options: unknown; id: string };

/** `fetch(request)`, then the middleware's `onError` or `onResponse`, the last added first. */
async function fetched(request: Request, fetch: (request: Request) => Promise<Response>, middlewares: Middleware[], context: Context | undefined): Promise<Response> {
  let response: Response | undefined;
  try {
    response = await fetch(request);
  } catch (error) {
    let failure: unknown = error;
    for (const handler of context === undefined ? [] : [...middlewares].reverse()) {
      const result: unknown = typeof handler?.onError === "function" ? await handler.onError({ request, error: failure, ...context } as never) : undefined;
      if (result instanceof Response) {
        failure = undefined;
        response = result;
        break;
      }
      if (result instanceof Error) failure = result;
      else if (result) throw new Error("onError must return a Response, an Error or nothing");
    }
    if (failure !== undefined) throw failure;
  }
  for (const handler of context === undefined ? [] : [...middlewares].reverse()) {
    const result: unknown = typeof handler?.onResponse === "function" ? await handler.onResponse({ request, response, ...context } as never) : undefined;
    if (!result) continue;
    if (!(result instanceof Response)) throw new Error("onResponse must return a Response or nothing");
    response = result;
  }
  return response as Response;
}

async function parsed(request: Request, response: Response, parseAs: NonNullable<OpenapiInit["parseAs"]>): Promise<OpenapiResult> {
  const contentLength = response.headers.get("Content-Length");
  if (response.status === 204 || request.method === "HEAD" || (contentLength === "0" && !response.headers.get("Transfer-Encoding")?.includes("chunked"))) {
    return response.ok ? { data: undefined, response } : { error: undefined, response };
  }
  if (response.ok) {
    if (parseAs === "stream") return { data: response.body, response };
    if (parseAs !== "json" || contentLength) return { data: await response[parseAs](), response };
    const raw = await response.text();
    return { data: raw ? (JSON.parse(raw) as unknown) : undefined, response };
  }
  let error: unknown = await response.text();
  try {
    error = JSON.parse(error as string);
  } catch {
    // Not JSON: the text is the error.
  }
  return { error, response };
}
