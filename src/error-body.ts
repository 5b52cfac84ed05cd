import type { SpecErrorCodes } from "../generated/error-codes.js";

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
  429: "rate_limit",
};

function defaultType(status: number): string {
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limit";
  return status >= 500 ? "api_error" : "invalid_request";
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function textMessage(text: string, status: number, statusText: string): string {
  const trimmed = text.trim();
  if (trimmed !== "" && !trimmed.startsWith("<")) return trimmed.slice(0, 200);
  return `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
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
  const parsed = parseObject(text);
  const type = stringField(parsed, "type") ?? defaultType(status);
  return {
    ...parsed,
    status,
    type,
    code: stringField(parsed, "code") ?? DEFAULT_CODES[status] ?? type,
    message: stringField(parsed, "message") ?? textMessage(parsed ? "" : text, status, statusText),
  } as FlatpeakErrorBody;
}
