import type { TokenProvider } from "./auth.js";
import { toErrorBody } from "./error-body.js";
import type { FlatpeakLogHook } from "./log.js";
import { redactUrl } from "./redact.js";
import { withBody, type FetchLike } from "./transport.js";
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
  send: FetchLike;
  apiVersion: string;
  log: FlatpeakLogHook | undefined;
}

/**
 * The fetch openapi-fetch calls: pins the API version, attaches the bearer
 * token, logs in again once when Flatpeak rejects the token, and turns every
 * non-2xx body into a typed `{ status, type, code, message }` error body.
 * A request that sets its own `Authorization`, and `GET /login`, are sent
 * without the bearer token.
 *
 * @example
 * const client = createClient<FlatpeakPaths>({ baseUrl, fetch: createAuthorizedFetch({ tokens, baseUrl, send, apiVersion, log }) });
 */
export function createAuthorizedFetch(settings: AuthorizedFetchSettings): FetchLike {
  const loginUrl = `${settings.baseUrl}/login`;
  return async (request, init) => {
    if (!request.headers.has(VERSION_HEADER)) request.headers.set(VERSION_HEADER, settings.apiVersion);
    if (request.headers.has("Authorization") || request.url.split("?")[0] === loginUrl) {
      return typedErrorResponse(await settings.send(request, init));
    }
    let response = await sendWithToken(request, init, settings);
    if ("token" in response && (await rejectsCredentials(response.response)) && settings.tokens.invalidate(response.token)) {
      settings.log?.({ event: "relogin", method: request.method, url: redactUrl(request.url), status: response.response.status });
      response = await sendWithToken(request, init, settings);
    }
    return typedErrorResponse(response.response);
  };
}

async function sendWithToken(
  request: Request,
  init: RequestInit | undefined,
  { tokens, send }: AuthorizedFetchSettings,
): Promise<{ response: Response; token?: string }> {
  const token = await tokens.get();
  if (token instanceof Response) return { response: token };
  request.headers.set("Authorization", `Bearer ${token}`);
  return { response: await send(request, init), token };
}

/** 401, or a 403 `access_denied`: how Flatpeak answers a missing, wrong or expired token. */
async function rejectsCredentials(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  return toErrorBody(403, await response.clone().text(), response.statusText).code === "access_denied";
}

async function typedErrorResponse(response: Response): Promise<Response> {
  if (response.ok || response.status < 400) return response;
  const body = toErrorBody(response.status, await response.text(), response.statusText);
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return withBody(response, JSON.stringify(body), headers);
}
