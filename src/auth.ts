import { FlatpeakError } from "./errors.js";
import type { FlatpeakLogHook } from "./log.js";
import type { FetchLike } from "./transport.js";
import { VERSION_HEADER } from "./version.js";

/**
 * Where bearer tokens come from. `get` resolves with a token, or with the
 * failed login response that the caller's request should answer with.
 *
 * @example
 * const token = await tokens.get();
 * if (typeof token === "string") request.headers.set("Authorization", `Bearer ${token}`);
 */
export interface TokenProvider {
  get(): Promise<string | Response>;
  /** Forgets `stale`; true when asking again can yield a different token. */
  invalidate(stale: string): boolean;
}

/**
 * What {@link loginTokens} needs to call `GET /login`.
 *
 * @example
 * const settings: LoginSettings = { accountId, apiKey, baseUrl, apiVersion: FLATPEAK_API_VERSION, send, log: undefined };
 */
export interface LoginSettings {
  accountId: string;
  apiKey: string;
  baseUrl: string;
  apiVersion: string;
  send: FetchLike;
  log: FlatpeakLogHook | undefined;
}

const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * A fixed token supplied by the caller; it cannot be refreshed.
 *
 * @example
 * const tokens = fixedToken(process.env.FLATPEAK_TOKEN!);
 */
export function fixedToken(token: string): TokenProvider {
  return { get: () => Promise.resolve(token), invalidate: () => false };
}

/**
 * Tokens from the caller's `getToken()`, asked on every request.
 *
 * @example
 * const tokens = callbackTokens(() => myTokenCache.current());
 */
export function callbackTokens(getToken: () => string | Promise<string>): TokenProvider {
  return {
    async get() {
      const token = await getToken();
      if (typeof token !== "string" || token === "") throw new TypeError("getToken() must resolve to a non-empty bearer token string.");
      return token;
    },
    invalidate: () => true,
  };
}

/**
 * Tokens from `GET /login` with HTTP Basic: cached, fetched once for any
 * number of concurrent callers, and renewed shortly before they expire.
 *
 * @example
 * const tokens = loginTokens({ accountId, apiKey, baseUrl, apiVersion, send, log: undefined });
 * const token = await tokens.get();
 */
export function loginTokens(settings: LoginSettings): TokenProvider {
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string | Response> | undefined;

  async function login(): Promise<string | Response> {
    const request = new Request(`${settings.baseUrl}/login`, {
      headers: { Authorization: basicAuthorization(settings.accountId, settings.apiKey), Accept: "application/json", [VERSION_HEADER]: settings.apiVersion },
    });
    const response = await settings.send(request);
    if (!response.ok) return response;
    const grant = parseGrant(await response.text(), request.url);
    const lifetimeMs = grant.expiresIn * 1000;
    cached = { token: grant.token, renewAt: Date.now() + lifetimeMs - Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs / 2) };
    settings.log?.({ event: "login", expiresInSeconds: grant.expiresIn });
    return grant.token;
  }

  return {
    get() {
      if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= login().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(stale) {
      if (cached?.token === stale) cached = undefined;
      return true;
    },
  };
}

function basicAuthorization(accountId: string, apiKey: string): string {
  const bytes = new TextEncoder().encode(`${accountId}:${apiKey}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function parseGrant(text: string, url: string): { token: string; expiresIn: number } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new FlatpeakError({ kind: "invalid_response", method: "GET", url, cause, message: "GET /login answered 2xx with a body that is not JSON" });
  }
  const { bearer_token: token, expires_in: expiresIn } = (body ?? {}) as { bearer_token?: unknown; expires_in?: unknown };
  if (typeof token !== "string" || token === "" || typeof expiresIn !== "number" || !(expiresIn > 0)) {
    throw new FlatpeakError({ kind: "invalid_response", method: "GET", url, message: "GET /login answered 2xx without a bearer_token and a positive expires_in" });
  }
  return { token, expiresIn };
}
