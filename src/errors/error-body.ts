import type { SpecErrorCodes } from "../../generated/error-codes.js";

/**
 * The 422 codes Flatpeak documents.
 *
 * @example
 * if (error?.status === 422 && error.code === "pending_connect") console.log("Connect is still linking the tariff");
 */
export type UnprocessableCode = SpecErrorCodes[422];

/**
 * Statuses any call can meet without Flatpeak documenting them: from a
 * gateway or proxy on the way (400, 401, 408, 502, 503, 504). Their `code` is
 * whatever the answer carried, or a default.
 *
 * @example
 * const status: TransportErrorStatus = 502;
 */
export type TransportErrorStatus = 400 | 401 | 408 | 502 | 503 | 504;

/**
 * Flatpeak's `code` for each error status: the spec's documented codes (from
 * its shared error responses), and `string` for statuses it leaves open.
 *
 * @example
 * type NotFound = FlatpeakErrorCodes[404]; // "not_found"
 */
export type FlatpeakErrorCodes = SpecErrorCodes & { [S in TransportErrorStatus]: string };

/**
 * Every error `code` this version of the package knows: the spec's
 * documented codes and the defaults the client fills in when an answer
 * carries none (`invalid_request`, `unauthorized`, `request_timeout`,
 * `unprocessable`, `api_error`, `conflict`). Give one to
 * `isFlatpeakError(value, code)`: a typo does not compile.
 *
 * @example
 * const code: KnownFlatpeakErrorCode = "pending_connect";
 */
export type KnownFlatpeakErrorCode =
  | { [S in keyof SpecErrorCodes]: string extends SpecErrorCodes[S] ? never : SpecErrorCodes[S] }[keyof SpecErrorCodes]
  | "invalid_request"
  | "unauthorized"
  | "request_timeout"
  | "unprocessable"
  | "api_error"
  | "conflict";

/**
 * A Flatpeak error `code`: one of the {@link KnownFlatpeakErrorCode}s (they
 * autocomplete), or any code Flatpeak adds later.
 *
 * @example
 * if (error.code === "pending_connect") await waitForTariff(flatpeak, { locationId });
 */
export type FlatpeakErrorCode = KnownFlatpeakErrorCode | (string & {});

/**
 * Every error status the client types.
 *
 * @example
 * const retryable: FlatpeakErrorStatus[] = [408, 429, 500, 502, 503, 504];
 */
export type FlatpeakErrorStatus = keyof FlatpeakErrorCodes;

/**
 * The `error` of a non-2xx result: Flatpeak's error object plus the HTTP
 * `status`, which discriminates the union.
 *
 * @example
 * const { error } = await flatpeak.GET("/customers/{id}", { params: { path: { id } } });
 * if (error?.status === 404) console.log(error.code); // "not_found"
 */
export type FlatpeakErrorBody<S extends FlatpeakErrorStatus = FlatpeakErrorStatus> = S extends FlatpeakErrorStatus
  ? {
      status: S;
      type: string;
      code: FlatpeakErrorCodes[S];
      message: string;
      object?: "error";
      context?: string;
      live_mode?: boolean;
      time_created?: string;
    }
  : never;

const DEFAULT_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "access_denied",
  404: "not_found",
  408: "request_timeout",
  409: "duplicate_reference",
  422: "unprocessable",
};

/**
 * Flatpeak's error `type` for a status, when the body gives none.
 *
 * @example
 * defaultType(503); // "api_error"
 */
export function defaultType(status: number): string {
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limit";
  return status >= 500 ? "api_error" : "invalid_request";
}

/**
 * Flatpeak's error `code` for a status, when the body gives none: the
 * documented one (e.g. `not_found` for 404), else the default type.
 *
 * @example
 * defaultCode(404); // "not_found"
 * defaultCode(502); // "api_error"
 */
export function defaultCode(status: number): string {
  return DEFAULT_CODES[status] ?? defaultType(status);
}

/**
 * What {@link parseJson} answers for a text that is not JSON.
 *
 * @example
 * if (parseJson(text) === NOT_JSON) console.log("not JSON");
 */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * The JSON value of a text, or {@link NOT_JSON}.
 *
 * @example
 * parseJson('{"code":"not_found"}'); // { code: "not_found" }
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/** Text of a body that is not JSON, or of a JSON string, when it reads as a message (not HTML), at most 200 characters. */
function readableText(parsed: unknown, text: string): string | undefined {
  const candidate = parsed === NOT_JSON ? text.trim() : typeof parsed === "string" ? parsed.trim() : "";
  return candidate !== "" && !candidate.startsWith("<") ? candidate.slice(0, 200) : undefined;
}

function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Builds the typed error body from whatever a non-2xx response carried: a
 * Flatpeak error object, an object missing fields, an HTML page or nothing.
 *
 * @example
 * toErrorBody(502, "<html>Bad gateway</html>", "Bad Gateway");
 * // { status: 502, type: "api_error", code: "api_error", message: "HTTP 502 Bad Gateway" }
 */
export function toErrorBody(status: number, text: string, statusText: string): FlatpeakErrorBody {
  const parsed = parseJson(text);
  const object = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  const type = stringField(object, "type") ?? defaultType(status);
  return {
    ...object,
    status,
    type,
    code: stringField(object, "code") ?? DEFAULT_CODES[status] ?? type,
    message: stringField(object, "message") ?? (object ? undefined : readableText(parsed, text)) ?? `HTTP ${status}${statusText ? ` ${statusText}` : ""}`,
  } as FlatpeakErrorBody;
}
