import { toErrorBody, type FlatpeakErrorBody } from "../errors/error-body.js";
import { FlatpeakError } from "../errors/errors.js";
import { requestOf } from "../http/request-of.js";

/**
 * A client call's result, as far as {@link unwrap} needs it.
 *
 * @example
 * const result: CallResult<{ id: string }> = await flatpeak.GET("/customers/{id}", { params: { path: { id } } });
 */
export type CallResult<D> = { data?: D; error?: FlatpeakErrorBody | unknown; response: Response };

/**
 * The `data` of a call, or a thrown {@link FlatpeakError} of kind `http`
 * (with `status`, `code` and `body`) for a non-2xx answer: for code that
 * prefers exceptions to checking `error`. Failures without an answer reject
 * as they always do.
 *
 * @example
 * import { unwrap } from "flatpeak-client";
 * const location = await unwrap(flatpeak.GET("/locations/{id}", { params: { path: { id: "loc_…" } } }));
 * console.log(location.timezone); // location is never undefined here
 */
export async function unwrap<D>(call: Promise<CallResult<D>> | CallResult<D>): Promise<Exclude<D, undefined>> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const { method, url } = requestOf(response);
    throw new FlatpeakError({ kind: "http", method, url, body: errorBodyOf(error, response), response });
  }
  return data as Exclude<D, undefined>;
}

/** The typed error body of a result, whatever its `error` holds: a Flatpeak error body, other JSON or nothing (e.g. from a client of your own). */
function errorBodyOf(error: unknown, response: Response): FlatpeakErrorBody {
  return toErrorBody(response.status, error === undefined ? "" : JSON.stringify(error), response.statusText);
}
