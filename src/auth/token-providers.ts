import type { FlatpeakErrorKind } from "../errors/errors.js";
import { hasControlCharacter } from "../http/header-checks.js";
import type { ClientNote } from "../call/notes.js";
import { logIn, type LoginFailure, type LoginGrant, type LoginSettings } from "./login.js";

/**
 * A bearer token and when it arrived (`performance.now()`).
 *
 * @example
 * const grant: Grant = { token: "eyJ…", obtainedAt: performance.now() };
 */
export interface Grant {
  token: string;
  obtainedAt: number;
}

/**
 * Where bearer tokens come from. `get` resolves with a token, or with the
 * refused login that the waiting call answers with; `rejected` is told when
 * Flatpeak refused a token and says whether asking again may help.
 *
 * @example
 * const grant = await tokens.get();
 * if ("token" in grant) request.headers.set("Authorization", `Bearer ${grant.token}`);
 */
export interface TokenProvider {
  get(): Promise<Grant | LoginFailure>;
  /** `grant` was refused with `status` (401, or 403 `access_denied`) on a call that started at `startedAt`. */
  rejected(grant: Grant, status: number, startedAt: number): boolean;
}

/**
 * A fixed token supplied by the caller; it cannot be refreshed.
 *
 * @example
 * const tokens = fixedToken(process.env.FLATPEAK_TOKEN!);
 */
export function fixedToken(token: string): TokenProvider {
  const grant = Promise.resolve({ token, obtainedAt: -Infinity });
  // Stryker disable next-line ArrowFunction: undefined is as false as false to the caller
  return { get: () => grant, rejected: () => false };
}

/**
 * Tokens from the caller's `getToken()`, asked on every request and once
 * more after Flatpeak refuses one.
 *
 * @example
 * const tokens = callbackTokens(() => myTokenCache.current());
 */
export function callbackTokens(getToken: () => string | Promise<string>): TokenProvider {
  return {
    async get() {
      const token = await getToken();
      if (typeof token !== "string" || token === "" || hasControlCharacter(token)) {
        throw new TypeError("getToken() must resolve to a non-empty string without control characters.");
      }
      return { token, obtainedAt: performance.now() };
    },
    rejected: () => true,
  };
}

/**
 * Where {@link loginTokens} gets a token instead of logging in itself: a
 * store the fleet shares. `obtain` is given the token this process holds
 * (when it is renewing one), and may answer it again to renew later;
 * `discard` is told of a token Flatpeak rejected.
 *
 * @example
 * const source: LoginSource = { obtain: () => logIn(settings), discard: () => undefined };
 */
export interface LoginSource {
  obtain(current: LoginGrant | undefined): Promise<LoginGrant | LoginFailure>;
  discard(grant: LoginGrant): void;
}

/**
 * What {@link loginTokens} needs: how to log in (or where a token comes
 * from instead), and whom to tell of each login and failed login.
 *
 * @example
 * const settings: LoginTokenSettings = { accountId, apiKey, baseUrl, apiVersion, headers: {}, send, note: undefined, source: undefined };
 */
export interface LoginTokenSettings extends LoginSettings {
  note: ((note: ClientNote) => void) | undefined;
  source: LoginSource | undefined;
}

type CachedGrant = LoginGrant & { refusalIsFinal?: boolean };

/** How long to wait before trying a failed background renewal again. */
const RENEWAL_RETRY_MS = 5_000;

/**
 * Tokens from `GET /login`: cached, fetched once for any number of
 * concurrent callers, renewed in the background shortly before they expire
 * (the valid token keeps serving meanwhile), on the monotonic clock. A failed
 * login is never cached. A 403 on a token obtained after the call started
 * means the resource is forbidden, not that the token is bad: such a token
 * never triggers a re-login on 403, so a forbidden resource cannot cause a
 * storm of logins.
 *
 * @example
 * const tokens = loginTokens({ accountId, apiKey, baseUrl, apiVersion, headers: {}, send, note: undefined, source: undefined });
 * const grant = await tokens.get();
 */
export function loginTokens(settings: LoginTokenSettings): TokenProvider {
  let current: CachedGrant | undefined;
  let pending: Promise<CachedGrant | LoginFailure> | undefined;
  let nextRenewalAt = 0;

  function reportFailure(detail: { status: number } | { kind: FlatpeakErrorKind | "unknown" }): void {
    nextRenewalAt = performance.now() + RENEWAL_RETRY_MS;
    settings.note?.({ type: "login_failed", ...detail });
  }

  function login(): Promise<CachedGrant | LoginFailure> {
    pending ??= (settings.source?.obtain(current) ?? logIn(settings))
      .then(
        (outcome) => {
          if (!("token" in outcome)) reportFailure({ status: outcome.status });
          else if (outcome !== current) {
            current = outcome;
            settings.note?.({ type: outcome.shared ? "token_shared" : "login", expiresInSeconds: Math.round((outcome.expiresAt - outcome.obtainedAt) / 1000) });
          }
          return outcome;
        },
        (error: unknown) => {
          // Stryker disable next-line StringLiteral: only a FlatpeakError, which has a kind, comes out of the transport
          reportFailure({ kind: (error as { kind?: FlatpeakErrorKind }).kind ?? "unknown" });
          throw error;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  return {
    get() {
      const now = performance.now();
      if (current === undefined || now >= current.expiresAt) return login();
      if (now >= current.renewAt && now >= nextRenewalAt) login().catch(() => undefined);
      return Promise.resolve(current);
    },
    rejected(grant: CachedGrant, status, startedAt) {
      if (status === 403) {
        if (grant.obtainedAt >= startedAt) grant.refusalIsFinal = true;
        if (grant.refusalIsFinal) return false;
      }
      if (current === grant) current = undefined;
      settings.source?.discard(grant);
      return true;
    },
  };
}
