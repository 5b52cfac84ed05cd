import { FlatpeakError, requestFailed } from "../errors/errors.js";
import type { Call } from "./call.js";

/**
 * The error of a call stopped before it got its answer: the `FlatpeakError`
 * its signal aborted with (a deadline's, kind `timeout`), or one of kind
 * `aborted` when the caller's signal aborted it.
 *
 * @example
 * await sleep(delayMs, call.signal, () => stoppedError(request, call));
 */
export function stoppedError(request: Request, call: Call, cause?: unknown): FlatpeakError {
  const reason: unknown = call.signal?.reason;
  if (reason instanceof FlatpeakError) return reason;
  return requestFailed("aborted", request, "was aborted", cause);
}
