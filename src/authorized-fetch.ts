import { untilAborted } from "./abort.js";
import type { Grant, TokenProvider } from "./auth.js";
import { bodyText, withBody } from "./buffered-response.js";
import { toErrorBody } from "./error-body.js";
import type { FlatpeakLogHook } from "./log.js";
import type { LoginFailure } from "./login.js";
import { toOutgoing, type OutgoingRequest } from "./outgoing-request.js";
import { redactBody, redactUrl } from "./redact.js";
import { abortedError, type FetchLike, type Send } from "./transport.js";
import { VERSION_HEADER } from "./version.js";

/**
 * What {@link createAuthorizedFetch} wires together.
 *
 * @example
 * const settings: AuthorizedFetchSettings = { tokens: fixedToken("eyJ…"), baseUrl: "https://api.flatpeak.com", send, apiVersion: FLATPEAK_API_VERSION, log: undefined };
 */
export interface AuthorizedFetchSettings {
  tokens: TokenProvider;
  baseUrl: string;
  send: Send;
  apiVersion: string;
  log: FlatpeakLogHook | undefined;
}

/**
 * Sends one call: `request`, through `fetch` (default: the client's).
 *
 * @example
 * const response = await authorizedFetch(request);
 */
export type AuthorizedFetch = (request: Request, fetch?: FetchLike) => Promise<Response>;

type Sent = { response: Response; grant?: Grant };

/** Paths sent without a bearer token: the login itself, and the public webhook signing keys. */
const PUBLIC_PATHS = ["/login", "/jwks.json"];

/**
 * The fetch openapi-fetch calls: refuses requests to another origin than the
 * client's, pins the API version, attaches the bearer token, logs in again
 * once when Flatpeak rejects a token that may have gone stale, and turns
 * every non-2xx body into a typed `{ status, type, code, message }` error
 * body with secrets masked. A request that sets its own `Authorization`, and
 * the paths that need no bearer token (`/login`, `/jwks.json`), are sent
 * without one.
 *
 * @example
 * const client = createClient<FlatpeakPaths>({ baseUrl, fetch: createAuthorizedFetch({ tokens, baseUrl, send, apiVersion, log }) });
 */
export function createAuthorizedFetch(settings: AuthorizedFetchSettings): AuthorizedFetch {
  const origin = new URL(settings.baseUrl).origin;
  const publicUrls = new Set(PUBLIC_PATHS.map((path) => `${settings.baseUrl}${path}`));
  return async (request, fetch) => {
    const { url } = request;
    assertOwnOrigin(request.method, url, origin);
    const outgoing = await toOutgoing(request);
    if (!outgoing.headers.has(VERSION_HEADER)) outgoing.headers.set(VERSION_HEADER, settings.apiVersion);
    if (outgoing.headers.has("Authorization") || publicUrls.has(url.split("?")[0] ?? "")) {
      return typedErrors(await settings.send(outgoing, fetch), url);
    }
    const startedAt = performance.now();
    const first = await sendWithToken(outgoing, fetch, settings);
    if (!mayRetryWithNewToken(first, startedAt, settings.tokens)) return typedErrors(first.response, url);
    settings.log?.({ event: "relogin", method: outgoing.method, url: redactUrl(url), status: first.response.status });
    const second = await sendWithToken(outgoing, fetch, settings);
    mayRetryWithNewToken(second, startedAt, settings.tokens);
    return typedErrors(second.response, url);
  };
}

function assertOwnOrigin(method: string, url: string, origin: string): void {
  if (url.startsWith(`${origin}/`)) return;
  const target = new URL(url).origin;
  throw new TypeError(`${method}: baseUrl ${target} is another origin than the client's (${origin}); the client sends its credentials to ${origin} only. Create a client for ${target} instead.`);
}

async function sendWithToken(outgoing: OutgoingRequest, fetch: FetchLike | undefined, { tokens, send }: AuthorizedFetchSettings): Promise<Sent> {
  const grant = await untilAborted(tokens.get(), outgoing.callerSignal, () => abortedError(outgoing));
  if (!("token" in grant)) return { response: refusedLogin(grant) };
  outgoing.headers.set("Authorization", `Bearer ${grant.token}`);
  return { response: await send(outgoing, fetch), grant };
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
