import { isBearerToken } from "../http/header-checks.js";
import type { LoginGrant } from "../auth/login.js";
import { storedFields } from "../store/stored-fields.js";

/** The token as the store keeps it: wall-clock times, so that any process can read them. */
interface StoredToken {
  token: string;
  /** When it stops being valid, in ms since the epoch. */
  expiresAt: number;
  /** How long it was valid for when Flatpeak gave it out. */
  lifetimeMs: number;
}

const MAX_RENEWAL_MARGIN_MS = 60_000;

/**
 * A token as the fleet's store keeps it: its expiry and lifetime on the wall
 * clock, so that any process can read them.
 *
 * @example
 * await store.set(key, storedTokenText(grant), { ttlMs });
 */
export function storedTokenText(grant: LoginGrant): string {
  const stored: StoredToken = { token: grant.token, expiresAt: Date.now() + (grant.expiresAt - performance.now()), lifetimeMs: grant.expiresAt - grant.obtainedAt };
  return JSON.stringify(stored);
}

/**
 * What {@link toGrant} answers for a stored token that is no longer valid.
 *
 * @example
 * if (toGrant(text) === EXPIRED) return undefined;
 */
export const EXPIRED = "expired";

/**
 * The grant of a stored token on this process's monotonic clock; `expired`
 * when it is no longer valid; `undefined` when it is no token: not a bearer
 * token's characters and length, or times that cannot be a token's (a
 * lifetime that is no positive number, an end further ahead than the
 * lifetime allows, beyond a minute for clocks that differ).
 *
 * @example
 * const grant = toGrant(await store.get(key) ?? "");
 */
export function toGrant(text: string): LoginGrant | typeof EXPIRED | undefined {
  const { token, expiresAt, lifetimeMs } = storedFields<StoredToken>(text);
  if (typeof token !== "string" || !isBearerToken(token) || typeof expiresAt !== "number" || typeof lifetimeMs !== "number" || !(lifetimeMs > 0)) return undefined;
  const now = performance.now();
  const remainingMs = expiresAt - Date.now();
  if (!(remainingMs <= lifetimeMs + MAX_RENEWAL_MARGIN_MS)) return undefined;
  if (remainingMs <= 0) return EXPIRED;
  const localExpiresAt = now + remainingMs;
  const margin = Math.min(MAX_RENEWAL_MARGIN_MS, lifetimeMs / 2) * (1 - Math.random() * 0.2);
  return { token, obtainedAt: now, expiresAt: localExpiresAt, renewAt: localExpiresAt - margin, shared: true };
}

/**
 * Whether `fresh` is a token to use instead of `current`: any valid token
 * when there is none, else one that lasts longer.
 *
 * @example
 * if (isNewer(fresh, current)) return fresh;
 */
export function isNewer(fresh: LoginGrant | undefined, current: LoginGrant | undefined): fresh is LoginGrant {
  return fresh !== undefined && (current === undefined || (fresh.token !== current.token && fresh.expiresAt > current.expiresAt));
}
