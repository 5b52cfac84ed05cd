import { FlatpeakError } from "../errors.js";
import { redactUrl } from "../redact.js";
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
  return new FlatpeakError({ kind: "aborted", method: request.method, url: request.url, cause, message: `${request.method} ${redactUrl(request.url)} was aborted` });
}
