import { bodyText, withBody } from "../http/buffered-response.js";

/** The query parameter whose value is a secret and never leaves this package in an error or log line. */
const SECRET_QUERY_KEY = "connect_token";
const REDACTED = "***";
/** Shorter values are not masked: a key or token that short would match ordinary words of a message. */
const MIN_SECRET_LENGTH = 8;

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
 * A copy of an error body with the value of every secret field (such as
 * `connect_token`) masked. Secret values its text fields repeat were masked
 * when the answer arrived (see {@link maskedAnswer}).
 *
 * @example
 * redactBody({ code: "x", message: "expired", connect_token: "cot_1" });
 * // { code: "x", message: "expired", connect_token: "***" }
 */
export function redactBody<T extends object>(body: T): T {
  return SECRET_QUERY_KEY in body ? { ...body, [SECRET_QUERY_KEY]: REDACTED } : body;
}

/**
 * The secrets an answer to `request` could repeat: the credential its
 * `Authorization` header carries (a bearer token, or a Basic value), the
 * `connect_token` values of its URL, and the client's own (`known`: its API
 * key and Basic value).
 *
 * @example
 * const secrets = secretsOf(request, [apiKey]);
 */
export function secretsOf(request: Request, known: readonly string[]): string[] {
  const authorization = request.headers.get("authorization") ?? "";
  return [authorization.slice(authorization.indexOf(" ") + 1), ...known, ...new URL(request.url).searchParams.getAll(SECRET_QUERY_KEY)];
}

/**
 * `text` with each of `secrets` of 8 characters or more replaced by `***`.
 *
 * @example
 * maskSecrets("token eyJhbGciOi.abc rejected", ["eyJhbGciOi.abc"]); // "token *** rejected"
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => (secret.length < MIN_SECRET_LENGTH ? masked : masked.replaceAll(secret, REDACTED)), text);
}

/**
 * A buffered answer with `secrets` masked in its body, its status text and
 * its header values, so that nothing built from it (an error body, an error's
 * message and headers, an event, a span) repeats one; the answer itself when
 * it repeats none.
 *
 * @example
 * const safe = maskedAnswer(response, secretsOf(request, [apiKey]));
 */
export function maskedAnswer(response: Response, secrets: readonly string[]): Response {
  const mask = (text: string) => maskSecrets(text, secrets);
  const { status, statusText, headers } = response;
  const text = bodyText(response) ?? "";
  const seen = text + statusText + [...headers];
  if (mask(seen) === seen) return response;
  return withBody(new Response(null, { status, statusText: mask(statusText), headers: [...headers].map(([name, value]) => [name, mask(value)]) }), new TextEncoder().encode(mask(text)));
}
