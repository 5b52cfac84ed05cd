import { bodyText } from "../http/buffered-response.js";
import { toErrorBody } from "../errors/error-body.js";
import { isFlatpeakError, type FlatpeakErrorKind } from "../errors/errors.js";
import type { CallResult } from "../client/plugin.js";
import type { Outcome } from "../call/retry-policy.js";

/**
 * What an attempt or a call ended with, as events and spans report it: the
 * status of an answer, Flatpeak's error `code` of a non-2xx one, or the kind
 * of failure when there was no answer. Never a body, a header or a URL.
 *
 * @example
 * const facts: EndFacts = { status: 404, code: "not_found" };
 */
export interface EndFacts {
  status?: number;
  code?: string;
  errorKind?: FlatpeakErrorKind;
}

/**
 * The facts of one attempt's outcome.
 *
 * @example
 * attemptFacts({ response }); // { status: 503, code: "api_error" }
 */
export function attemptFacts(outcome: Outcome): EndFacts {
  if ("error" in outcome) return { errorKind: outcome.error.kind };
  const { status, statusText } = outcome.response;
  return status < 400 ? { status } : { status, code: toErrorBody(status, bodyText(outcome.response) ?? "", statusText).code };
}

/**
 * The facts of a whole call: its result, or the error it rejected with (a
 * `FlatpeakError` gives its kind; any other error none).
 *
 * @example
 * callFacts({ result }); // { status: 200 }
 * callFacts({ error }); // { errorKind: "timeout" }
 */
export function callFacts(ended: { result: CallResult } | { error: unknown }): EndFacts {
  if ("error" in ended) return isFlatpeakError(ended.error) ? { errorKind: ended.error.kind } : {};
  const { response, error } = ended.result;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? { status: response.status, code } : { status: response.status };
}

/**
 * Why an attempt will be sent again, in words: `"503 answer"`,
 * `"429 answer, Retry-After"`, `"network failure"`, `"timeout"`.
 *
 * @example
 * retryReason({ response }); // "429 answer, Retry-After"
 */
export function retryReason(outcome: Outcome): string {
  if ("error" in outcome) return outcome.error.kind === "network" ? "network failure" : outcome.error.kind;
  return `${outcome.response.status} answer${outcome.response.headers.has("retry-after") ? ", Retry-After" : ""}`;
}
