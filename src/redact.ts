/** Query parameters whose values are secrets and never leave this package in an error or log line. */
const SECRET_QUERY_KEYS = ["connect_token"];
const REDACTED = "***";

/**
 * The URL reduced to what is safe to show: path plus query, with secret query
 * values and any user info removed.
 *
 * @example
 * redactUrl("https://api.flatpeak.com/connect/tariff/token?connect_token=cot_1");
 * // "/connect/tariff/token?connect_token=***"
 */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  for (const key of SECRET_QUERY_KEYS) {
    if (parsed.searchParams.has(key)) parsed.searchParams.set(key, REDACTED);
  }
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * A copy of an error body with secret fields (such as `connect_token`) masked.
 *
 * @example
 * redactBody({ code: "x", connect_token: "cot_1" }); // { code: "x", connect_token: "***" }
 */
export function redactBody<T>(body: T): T {
  if (body === null || typeof body !== "object") return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of SECRET_QUERY_KEYS) if (key in copy) copy[key] = REDACTED;
  return copy as T;
}
