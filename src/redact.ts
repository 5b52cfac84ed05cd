/** The query parameter whose value is a secret and never leaves this package in an error or log line. */
const SECRET_QUERY_KEY = "connect_token";
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
  if (parsed.searchParams.has(SECRET_QUERY_KEY)) parsed.searchParams.set(SECRET_QUERY_KEY, REDACTED);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * A copy of an error body with secrets masked: the value of every secret
 * field (such as `connect_token`), and the secret values the request's `url`
 * carried wherever a text field repeats them.
 *
 * @example
 * redactBody({ code: "x", message: "cot_1 expired", connect_token: "cot_1" }, "https://api.flatpeak.com/connect/tariff/token?connect_token=cot_1");
 * // { code: "x", message: "*** expired", connect_token: "***" }
 */
export function redactBody<T extends object>(body: T, url: string): T {
  const secrets = new URL(url).searchParams.getAll(SECRET_QUERY_KEY).filter((value) => value !== "");
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    copy[key] = key === SECRET_QUERY_KEY ? REDACTED : typeof value === "string" ? mask(value, secrets) : value;
  }
  return copy as T;
}

function mask(text: string, secrets: string[]): string {
  return secrets.reduce((masked, secret) => masked.split(secret).join(REDACTED), text);
}
