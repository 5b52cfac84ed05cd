import type { FlatpeakErrorBody, FlatpeakErrorCode, KnownFlatpeakErrorCode } from "./error-body.js";
import { redactBody, redactUrl } from "./redact.js";
import { retryAfterMs } from "../http/retry-after.js";

/**
 * What went wrong:
 * - `http`: Flatpeak answered with a non-2xx status (thrown by helpers such as `paginate`);
 * - `network`: no response arrived (connection refused, reset, DNS);
 * - `timeout`: no complete response within `timeoutMs`;
 * - `aborted`: the caller's `signal` aborted the request;
 * - `invalid_response`: a 2xx response whose body is not what the spec promises.
 *
 * @example
 * if (isFlatpeakError(error) && error.kind === "network") console.log("offline; will try later");
 */
export type FlatpeakErrorKind = "http" | "network" | "timeout" | "aborted" | "invalid_response";

/**
 * Everything a {@link FlatpeakError} is built from.
 *
 * @example
 * new FlatpeakError({ kind: "timeout", method: "GET", url: "https://api.flatpeak.com/customers" });
 */
export interface FlatpeakErrorInit {
  kind: FlatpeakErrorKind;
  method: string;
  /** Full request URL; only its redacted path and query are kept. */
  url: string;
  /** The typed error body, for `kind: "http"`. */
  body?: FlatpeakErrorBody;
  /** The answer, for `kind: "http"`: its `Retry-After` and headers are kept. */
  response?: Response;
  /** Why it failed, when another error caused it. */
  cause?: unknown;
  /** Overrides the generated message. */
  message?: string;
}

/**
 * The one error class this package throws. It never holds credentials: no
 * API key, Basic header or bearer token appears in its message or fields.
 *
 * @example
 * try {
 *   for await (const customer of paginate(flatpeak, "/customers")) console.log(customer.id);
 * } catch (error) {
 *   if (isFlatpeakError(error) && error.kind === "timeout") console.log("Flatpeak is slow; try later");
 * }
 */
export class FlatpeakError extends Error {
  override readonly name = "FlatpeakError" as const;
  declare readonly kind: FlatpeakErrorKind;
  declare readonly method: string;
  /** Path and query of the request, with secret values masked. */
  declare readonly url: string;
  declare readonly status: number | undefined;
  /** Flatpeak's error code, e.g. `not_found`, for `kind: "http"`. */
  declare readonly code: FlatpeakErrorCode | undefined;
  declare readonly body: FlatpeakErrorBody | undefined;
  /** How long Flatpeak asked to wait before trying again (its `Retry-After`, in ms), for `kind: "http"` when it said. */
  declare readonly retryAfterMs: number | undefined;
  /** The headers of the answer (lower-case names, cookies and credentials left out), for `kind: "http"`. */
  declare readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(init: FlatpeakErrorInit) {
    const url = redactUrl(init.url);
    const body = init.body && redactBody(init.body);
    super(init.message ?? describe(init, url, body), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.method = init.method;
    this.url = url;
    this.status = body?.status;
    this.code = body?.code;
    this.body = body;
    const headers = init.response?.headers;
    this.retryAfterMs = headers && retryAfterMs(headers);
    this.headers = headers && Object.fromEntries([...headers].filter(([name]) => !SECRET_HEADERS.test(name)));
  }
}

/**
 * The {@link FlatpeakError} of `request` that failed without an answer, its
 * message the method and redacted URL followed by `what` happened.
 *
 * @example
 * throw requestFailed("timeout", request, "timed out after 30000 ms");
 * // FlatpeakError: GET /customers timed out after 30000 ms
 */
export function requestFailed(kind: FlatpeakErrorKind, request: Request, what: string, cause?: unknown): FlatpeakError {
  return new FlatpeakError({ kind, method: request.method, url: request.url, cause, message: `${request.method} ${redactUrl(request.url)} ${what}` });
}

/** Headers an error never keeps: cookies, and anything that carries credentials. */
const SECRET_HEADERS = /cookie|authorization|token|secret|key/i;

function describe(init: FlatpeakErrorInit, url: string, body: FlatpeakErrorBody | undefined): string {
  const request = `${init.method} ${url}`;
  if (body) return `${request} → ${body.status} ${body.code}: ${body.message}`;
  return `${request} failed (${init.kind})`;
}

/**
 * True when `value` is a {@link FlatpeakError} (also across duplicate installs
 * of this package), optionally with the given Flatpeak error `code` — one the
 * package knows, so that a typo does not compile (compare `error.code` for a
 * code Flatpeak added later).
 *
 * @example
 * if (isFlatpeakError(error, "not_found")) console.log("no such customer");
 */
export function isFlatpeakError(value: unknown, code?: KnownFlatpeakErrorCode): value is FlatpeakError {
  const isOne = value instanceof FlatpeakError || (value instanceof Error && value.name === "FlatpeakError" && "kind" in value);
  return isOne && (code === undefined || (value as FlatpeakError).code === code);
}
