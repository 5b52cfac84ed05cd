import type { paths } from "../generated/flatpeak.js";
import type { FlatpeakErrorBody, FlatpeakErrorStatus } from "./error-body.js";

/** Statuses any call can meet on the way, documented for the operation or not. */
type TransportErrorStatus = 401 | 408 | 429 | 500 | 502 | 503 | 504;

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** The response a typed error status gets: JSON of {@link FlatpeakErrorBody} for that status. */
type ErrorResponse<S extends FlatpeakErrorStatus> = { headers: { [name: string]: unknown }; content: { "application/json": FlatpeakErrorBody<S> } };

/** An operation's responses: successes kept, documented errors and transport errors typed. */
type TypedResponses<R> = {
  [K in keyof R | TransportErrorStatus]: K extends FlatpeakErrorStatus ? ErrorResponse<K> : K extends keyof R ? R[K] : never;
};

type WithTypedErrors<Operation> = {
  [K in keyof Operation]: K extends "responses" ? TypedResponses<Operation[K]> : Operation[K];
};

/**
 * The generated `paths`, with every operation's error responses replaced by
 * {@link FlatpeakErrorBody} variants: the documented statuses of that
 * operation plus 401, 408, 429 and 5xx, discriminated by `status`.
 *
 * @example
 * type NotFound = FlatpeakPaths["/customers/{id}"]["get"]["responses"][404]["content"]["application/json"];
 * // { status: 404; code: "not_found"; ... }
 */
export type FlatpeakPaths = {
  [P in keyof paths]: { [M in keyof paths[P]]: M extends HttpMethod ? WithTypedErrors<paths[P][M]> : paths[P][M] };
};
