import { bodyText } from "../http/buffered-response.js";
import { toErrorBody, type FlatpeakErrorBody } from "../errors/error-body.js";
import { FlatpeakError } from "../errors/errors.js";
import { isBearerToken } from "../http/header-checks.js";
import { OutgoingRequest } from "../http/outgoing-request.js";
import { VERSION_HEADER } from "../client/version.js";

/**
 * What {@link logIn} needs to call `GET /login`.
 *
 * @example
 * const settings: LoginSettings = { accountId, apiKey, baseUrl, apiVersion: FLATPEAK_API_VERSION, headers: {}, send };
 */
export interface LoginSettings {
  accountId: string;
  apiKey: string;
  baseUrl: string;
  apiVersion: string;
  /** The client's extra headers, sent with the login too. */
  headers: Record<string, string>;
  /** Sends the login through the client's retries and timeouts; resolves with a response whose body has been read. */
  send: (request: OutgoingRequest) => Promise<Response>;
}

/**
 * A bearer token from `GET /login`, with its times on the monotonic clock
 * (`performance.now()`), so a jump of the wall clock changes none of them.
 *
 * @example
 * const usable = performance.now() < grant.expiresAt;
 */
export interface LoginGrant {
  token: string;
  /** When the answer arrived. */
  obtainedAt: number;
  /** When to start renewing it in the background. */
  renewAt: number;
  /** When it stops being valid, counted from when the login was sent. */
  expiresAt: number;
  /** True for a token another process logged in for and shared through a store. */
  shared?: boolean;
}

/**
 * A login Flatpeak refused: status and headers of its answer, and its body as
 * a typed error body, from which every waiting call builds its own answer.
 *
 * @example
 * const failure: LoginFailure = { status: 403, statusText: "Forbidden", headers: new Headers(), body };
 */
export interface LoginFailure {
  status: number;
  statusText: string;
  headers: Headers;
  body: FlatpeakErrorBody;
}

const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * Calls `GET /login` with HTTP Basic. Resolves with the grant, or with the
 * refusal when Flatpeak answers non-2xx; rejects with a {@link FlatpeakError}
 * when no answer came or a 2xx answer holds no usable token.
 *
 * @example
 * const outcome = await logIn(settings);
 * if ("token" in outcome) console.log("valid until", outcome.expiresAt);
 */
export async function logIn(settings: LoginSettings): Promise<LoginGrant | LoginFailure> {
  const headers = new Headers(settings.headers);
  headers.set("Authorization", basicAuthorization(settings.accountId, settings.apiKey));
  headers.set("Accept", "application/json");
  headers.set(VERSION_HEADER, headers.get(VERSION_HEADER) ?? settings.apiVersion);
  const request = new OutgoingRequest(`${settings.baseUrl}/login`, { headers });
  const sentAt = performance.now();
  const response = await settings.send(request);
  // Stryker disable next-line StringLiteral: the transport always reads the body, so there is text
  const text = bodyText(response) ?? "";
  if (!response.ok) return { status: response.status, statusText: response.statusText, headers: response.headers, body: toErrorBody(response.status, text, response.statusText) };
  const { token, expiresIn } = parseGrant(text, request.url);
  const lifetimeMs = expiresIn * 1000;
  const expiresAt = sentAt + lifetimeMs;
  return { token, obtainedAt: performance.now(), expiresAt, renewAt: expiresAt - Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs / 2) };
}

function basicAuthorization(accountId: string, apiKey: string): string {
  const bytes = new TextEncoder().encode(`${accountId}:${apiKey}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function parseGrant(text: string, url: string): { token: string; expiresIn: number } {
  let body: { bearer_token?: unknown; expires_in?: unknown } = {};
  let cause: unknown;
  try {
    body = (JSON.parse(text) as typeof body | null) ?? {};
  } catch (error) {
    cause = error;
  }
  const { bearer_token: token, expires_in: expiresIn } = body;
  if (typeof token !== "string" || !isBearerToken(token) || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    throw new FlatpeakError({ kind: "invalid_response", method: "GET", url, cause, message: "GET /login answered 2xx without a usable bearer_token and expires_in" });
  }
  return { token, expiresIn };
}
