import { untilAborted } from "../abort.js";
import type { Grant, TokenProvider } from "../auth.js";
import { bodyText, withBody } from "../buffered-response.js";
import { toErrorBody } from "../error-body.js";
import type { LoginFailure } from "../login.js";
import type { OutgoingRequest } from "../outgoing-request.js";
import { redactBody } from "../redact.js";
import { VERSION_HEADER } from "../version.js";
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

type Sent = { response: Response; grant?: Grant };

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
    if (!request.headers.has(VERSION_HEADER)) request.headers.set(VERSION_HEADER, settings.apiVersion);
    call.apiVersion = request.headers.get(VERSION_HEADER) as string;
    if (request.headers.has("Authorization") || publicUrls.has(url.split("?")[0] ?? "")) return typedErrors(await next(request, call), url);
    const startedAt = performance.now();
    const first = await sendWithToken(request, call, next, settings.tokens);
    if (!mayRetryWithNewToken(first, startedAt, settings.tokens)) return typedErrors(first.response, url);
    call.note?.({ type: "relogin", status: first.response.status });
    const second = await sendWithToken(request, call, next, settings.tokens);
    mayRetryWithNewToken(second, startedAt, settings.tokens);
    return typedErrors(second.response, url);
  };
}

function assertOwnOrigin(method: string, url: string, origin: string): void {
  if (url.startsWith(`${origin}/`)) return;
  const target = new URL(url).origin;
  throw new TypeError(`${method}: baseUrl ${target} is another origin than the client's (${origin}); the client sends its credentials to ${origin} only. Create a client for ${target} instead.`);
}

async function sendWithToken(request: OutgoingRequest, call: Call, next: Send, tokens: TokenProvider): Promise<Sent> {
  const grant = await untilAborted(tokens.get(), call.signal, () => stoppedError(request, call));
  if (!("token" in grant)) return { response: refusedLogin(grant) };
  request.headers.set("Authorization", `Bearer ${grant.token}`);
  return { response: await next(request, call), grant };
}

/** Tells the token provider of a 401, or a 403 `access_denied`, and whether to send once more. */
function mayRetryWithNewToken({ response, grant }: Sent, startedAt: number, tokens: TokenProvider): boolean {
  if (grant === undefined) return false;
  const { status } = response;
  if (status !== 401 && !(status === 403 && toErrorBody(403, bodyText(response) ?? "", response.statusText).code === "access_denied")) return false;
  return tokens.rejected(grant, status, startedAt);
}

/** A response of its own, for each call that waited on a refused login. */
function refusedLogin(failure: LoginFailure): Response {
  return withJson(new Response(null, failure), failure.body);
}

function typedErrors(response: Response, url: string): Response {
  if (response.status < 400) return response;
  return withJson(response, redactBody(toErrorBody(response.status, bodyText(response) ?? "", response.statusText), url));
}

function withJson(response: Response, value: object): Response {
  return withBody(response, new TextEncoder().encode(JSON.stringify(value)));
}
