import type { paths } from "../generated/flatpeak.js";
import type { FlatpeakErrorBody, FlatpeakErrorStatus } from "./error-body.js";

/** Statuses any call can meet on the way, documented for the operation or not. */
type TransportErrorStatus = 401 | 408 | 429 | 500 | 502 | 503 | 504;

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

type ErrorResponses<S extends FlatpeakErrorStatus> = {
  [K in S]: { headers: { [name: string]: unknown }; content: { "application/json": FlatpeakErrorBody<K> } };
};

type SuccessResponses<R> = { [K in keyof R as K extends FlatpeakErrorStatus ? never : K]: R[K] };

type WithTypedErrors<Operation> = Operation extends { responses: infer R }
  ? Omit<Operation, "responses"> & {
      responses: SuccessResponses<R> & ErrorResponses<Extract<keyof R, FlatpeakErrorStatus> | TransportErrorStatus>;
    }
  : Operation;

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
