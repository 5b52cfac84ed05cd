import { untilAborted } from "../shared/abort.js";
import type { Grant, TokenProvider } from "../auth/token-providers.js";
import { bodyText, withBody } from "../http/buffered-response.js";
import { toErrorBody } from "../errors/error-body.js";
import type { LoginFailure } from "../auth/login.js";
import type { OutgoingRequest } from "../http/outgoing-request.js";
import { VERSION_HEADER } from "../client/version.js";
import type { Call, Send, Step } from "./call.js";
import { stoppedError } from "./stopped.js";

/**
 * What {@link authorize} needs.
 *
 * @example
 * const settings: AuthorizeSettings = { tokens: fixedToken("eyJ…"), baseUrl: "https://api.flatpeak.com", apiVersion: FLATPEAK_API_VERSION };
 */
export interface AuthorizeSettings {
  tokens: TokenProvider;
  baseUrl: string;
  apiVersion: string;
}

/** Paths sent without a bearer token: the login itself, and the public webhook signing keys. */
const PUBLIC_PATHS = ["/login", "/jwks.json"];

/**
 * The auth and version pin of every call: refuses requests to another origin
 * than the client's, pins the API version, attaches the bearer token (the
 * wait for it bounded by the call's signal and deadline), logs in again once
 * when Flatpeak rejects a token that may have gone stale, and turns every
 * non-2xx body into a typed `{ status, type, code, message }` error body
 * with secrets masked. A request that sets its own `Authorization`, and the
 * paths that need no bearer token (`/login`, `/jwks.json`), are sent without
 * one.
 *
 * @example
 * const send = chain([deadline, authorize({ tokens, baseUrl, apiVersion })], transport);
 */
export function authorize(settings: AuthorizeSettings): Step {
  const origin = new URL(settings.baseUrl).origin;
  const publicUrls = new Set(PUBLIC_PATHS.map((path) => `${settings.baseUrl}${path}`));
  return async (request, call, next) => {
    const { url } = request;
    assertOwnOrigin(request.method, url, origin);
    call.apiVersion = request.headers.get(VERSION_HEADER) ?? settings.apiVersion;
    request.headers.set(VERSION_HEADER, call.apiVersion);
    const unauthenticated = request.headers.has("Authorization") || publicUrls.has(url.split("?")[0] ?? "");
    return unauthenticated ? next(request, call) : withToken(request, call, next, settings.tokens);
  };
}

/** Sends with the bearer token, and once more with a new one when Flatpeak rejects it as stale. */
async function withToken(request: OutgoingRequest, call: Call, next: Send, tokens: TokenProvider): Promise<Response> {
  const startedAt = performance.now();
  for (let sending = 1; ; sending++) {
    const grant = await untilAborted(tokens.get(), call.signal, () => stoppedError(request, call));
    if (!("token" in grant)) return refusedLogin(grant);
    request.headers.set("Authorization", `Bearer ${grant.token}`);
    const response = await next(request, call);
    if (!mayRetryWithNewToken(response, grant, startedAt, tokens) || sending === 2) return response;
    call.note?.({ type: "relogin", status: response.status });
  }
}

function assertOwnOrigin(method: string, url: string, origin: string): void {
  if (url.startsWith(`${origin}/`)) return;
  const target = new URL(url).origin;
  throw new TypeError(`${method}: ${target} is not the client's origin, ${origin}; create a client for it.`);
}

/** Tells the token provider of a 401, or a 403 `access_denied`, and whether to send once more. */
function mayRetryWithNewToken(response: Response, grant: Grant, startedAt: number, tokens: TokenProvider): boolean {
  const { status } = response;
  if (status !== 401 && !(status === 403 && toErrorBody(403, bodyText(response) ?? "", response.statusText).code === "access_denied")) return false;
  return tokens.rejected(grant, status, startedAt);
}

/** A response of its own, for each call that waited on a refused login. */
function refusedLogin(failure: LoginFailure): Response {
  return withBody(new Response(null, failure), new TextEncoder().encode(JSON.stringify(failure.body)));
}


