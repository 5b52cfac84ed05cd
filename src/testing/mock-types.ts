import type { paths } from "../../generated/flatpeak.js";

type HttpMethod = "get" | "put" | "post" | "delete" | "patch";
type Operation = { parameters: unknown; responses: object };

/**
 * Every operation of the API, keyed like `"GET /customers/{id}"`.
 *
 * @example
 * const key: MockOperationKey = "POST /prices/{id}";
 */
export type MockOperationKey = {
  [P in keyof paths]: { [M in HttpMethod]: [NonNullable<paths[P][M]>] extends [never] ? never : NonNullable<paths[P][M]> extends Operation ? `${Uppercase<M>} ${P & string}` : never }[HttpMethod];
}[keyof paths];

/**
 * The generated operation type behind a key.
 *
 * @example
 * type Exchange = OperationOf<"GET /connect/tariff/token">;
 */
export type OperationOf<K extends MockOperationKey> = K extends `${infer M} ${infer P}`
  ? P extends keyof paths
    ? Lowercase<M> extends keyof paths[P]
      ? NonNullable<paths[P][Lowercase<M>]> & Operation
      : never
    : never
  : never;

type JsonOf<T> = T extends { content: { "application/json": infer Body } } ? Body : undefined;
type Parameters<K extends MockOperationKey> = OperationOf<K>["parameters"];
type Section<K extends MockOperationKey, Where extends string> = Parameters<K> extends { [W in Where]?: infer T } ? ([NonNullable<T>] extends [never] ? Record<never, never> : NonNullable<T>) : Record<never, never>;

/**
 * What a handler gets: the request's path and query parameters and JSON
 * body, typed for the operation, and the `Request` itself.
 *
 * @example
 * mock.on("GET /customers/{id}", ({ params }) => ({ status: 200, body: customer(params.path.id) }));
 */
export interface MockRequest<K extends MockOperationKey> {
  params: { path: Section<K, "path">; query: Partial<Section<K, "query">> };
  body: OperationOf<K> extends { requestBody?: infer B } ? ([NonNullable<B>] extends [never] ? undefined : JsonOf<NonNullable<B>>) : undefined;
  request: Request;
}

/**
 * An answer the operation documents: one of its statuses, with a body of that
 * status's schema.
 *
 * @example
 * const answer: MockAnswer<"GET /customers/{id}"> = { status: 404, body: { object: "error", type: "invalid_request", code: "not_found" } };
 */
export type MockAnswer<K extends MockOperationKey> = {
  [S in keyof OperationOf<K>["responses"]]: { status: S; body: JsonOf<OperationOf<K>["responses"][S]>; headers?: Record<string, string> };
}[keyof OperationOf<K>["responses"]];

/**
 * A failure any operation can meet, documented or not: the connection fails,
 * no answer comes until the request is aborted (as a timeout does), or a
 * gateway or the rate limiter answers (429, 5xx).
 *
 * @example
 * mock.once("GET /customers", mock.faults.network());
 */
export type MockFault =
  | { fault: "network" }
  | { fault: "timeout" }
  | { fault: "answer"; status: number; body: unknown; headers?: Record<string, string> };

/**
 * A handler of one operation.
 *
 * @example
 * const handler: MockHandler<"DELETE /devices/{id}"> = () => ({ status: 202, body: { message: "Accepted" } });
 */
export type MockHandler<K extends MockOperationKey> = (request: MockRequest<K>) => MockAnswer<K> | MockFault | Promise<MockAnswer<K> | MockFault>;

/**
 * Handlers keyed by operation.
 *
 * @example
 * const handlers: MockHandlers = { "GET /customers": () => ({ status: 200, body: { object: "list", url: "/customers", has_more: false, data: [] } }) };
 */
export type MockHandlers = { [K in MockOperationKey]?: MockHandler<K> };

/**
 * What `once` accepts: a handler, or the answer or fault itself.
 *
 * @example
 * mock.once("GET /customers", mock.faults.serverError(503), 2);
 */
export type MockOnce<K extends MockOperationKey> = MockHandler<K> | MockAnswer<K> | MockFault;

/**
 * One request the mock received, for one operation: its parameters and body
 * typed as the operation declares them.
 *
 * @example
 * const call: MockCallOf<"POST /prices/{id}"> = mock.calls[0] as MockCallOf<"POST /prices/{id}">;
 * console.log(call.params.path.id, call.body.end_time);
 */
export interface MockCallOf<K extends MockOperationKey> {
  /** The operation, e.g. `"GET /customers/{id}"`. */
  operation: K;
  method: K extends `${infer M} ${string}` ? M : string;
  /** Path and query as sent. */
  url: string;
  params: MockRequest<K>["params"];
  /** The JSON body, parsed; `undefined` without one. */
  body: MockRequest<K>["body"];
}

/**
 * One request the mock received: narrow it by `operation` to get its
 * parameters and body typed.
 *
 * @example
 * const call = mock.calls.find((each) => each.operation === "POST /prices/{id}");
 * if (call?.operation === "POST /prices/{id}") console.log(call.body.end_time);
 */
export type MockCall = { [K in MockOperationKey]: MockCallOf<K> }[MockOperationKey];
