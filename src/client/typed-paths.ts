import type { paths } from "../../generated/flatpeak.js";
import type { FlatpeakErrorBody, FlatpeakErrorStatus, TransportErrorStatus } from "../errors/error-body.js";

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** The response a typed error status gets: JSON of {@link FlatpeakErrorBody} for that status. */
type ErrorResponse<S extends FlatpeakErrorStatus> = { headers: { [name: string]: unknown }; content: { "application/json": FlatpeakErrorBody<S> } };

/** An operation's responses: successes kept, the errors the spec documents for it and transport errors typed. */
type TypedResponses<R> = {
  [K in keyof R | TransportErrorStatus]: K extends FlatpeakErrorStatus ? ErrorResponse<K> : K extends keyof R ? R[K] : never;
};

type WithTypedErrors<Operation> = {
  [K in keyof Operation]: K extends "responses" ? TypedResponses<Operation[K]> : Operation[K];
};

/**
 * The generated `paths`, with every operation's error responses replaced by
 * {@link FlatpeakErrorBody} variants: the statuses the spec documents for
 * that operation (422, 429 and 500 on all of them) plus the statuses a
 * gateway may answer with (400, 401, 408, 502, 503, 504), discriminated by
 * `status`.
 *
 * @example
 * type NotFound = FlatpeakPaths["/customers/{id}"]["get"]["responses"][404]["content"]["application/json"];
 * // { status: 404; code: "not_found"; ... }
 */
export type FlatpeakPaths = {
  [P in keyof paths]: { [M in keyof paths[P]]: M extends HttpMethod ? WithTypedErrors<paths[P][M]> : paths[P][M] };
};
