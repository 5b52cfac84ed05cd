import { hasControlCharacter, isHeaderName } from "./header-checks.js";
import { shielded, type FlatpeakLogHook } from "./log.js";
import type { FetchLike } from "./transport.js";
import { FLATPEAK_API_VERSION } from "./version.js";

/**
 * Options of {@link createFlatpeakClient}. Give either `accountId` + `apiKey`
 * (the client logs in and renews its token) or your own `token` / `getToken`.
 *
 * @example
 * const options: FlatpeakClientOptions = {
 *   accountId: process.env.FLATPEAK_ACCOUNT_ID,
 *   apiKey: process.env.FLATPEAK_API_KEY,
 *   timeoutMs: 10_000,
 * };
 */
export interface FlatpeakClientOptions {
  /** Flatpeak account id (`acc_…`), used with `apiKey` to log in. */
  accountId?: string | undefined;
  /** A Flatpeak API key of that account. */
  apiKey?: string | undefined;
  /** A bearer token you obtained yourself; never refreshed. */
  token?: string | undefined;
  /** Called before every request for a bearer token you manage, and again once after it is rejected. */
  getToken?: (() => string | Promise<string>) | undefined;
  /** Default `https://api.flatpeak.com`. */
  baseUrl?: string | undefined;
  /** `Flatpeak-Version` sent with every request; default {@link FLATPEAK_API_VERSION}. */
  apiVersion?: string | undefined;
  /** Time allowed for each attempt, response body included; default 30 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests after network errors, timeouts, 408, 429 and 5xx; default 2. */
  maxRetries?: number | undefined;
  /** A fetch implementation, given a fresh `Request` for every attempt; default the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Extra headers for every request, `GET /login` included: an object, a `Headers` or `[name, value]` pairs. */
  headers?: Record<string, string> | Headers | ReadonlyArray<readonly [string, string]> | undefined;
  /** Receives a line for each login, failed login, re-login and retry; see {@link FlatpeakLogHook}. */
  log?: FlatpeakLogHook | undefined;
}

/**
 * Credentials in the one form that was given.
 *
 * @example
 * const credentials: Credentials = { kind: "login", accountId: "acc_…", apiKey: "…" };
 */
export type Credentials =
  | { kind: "login"; accountId: string; apiKey: string }
  | { kind: "token"; token: string }
  | { kind: "callback"; getToken: () => string | Promise<string> };

/**
 * Options after validation, with every default filled in.
 *
 * @example
 * const { timeoutMs, maxRetries }: ResolvedOptions = resolveOptions({ token: "eyJ…" }); // 30000, 2
 */
export interface ResolvedOptions {
  credentials: Credentials;
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  maxRetries: number;
  /** `undefined`: the global `fetch`, looked up on every attempt. */
  fetch: FetchLike | undefined;
  headers: Record<string, string>;
  /** The `log` option, unable to throw into the client. */
  log: FlatpeakLogHook | undefined;
}

const DEFAULT_BASE_URL = "https://api.flatpeak.com";
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const MAX_TIMER_MS = 2_147_483_647;
const PREFIX = "createFlatpeakClient:";

/**
 * Validates options and fills in defaults; throws a `TypeError` that names the
 * option and the fix before any request is made.
 *
 * @example
 * resolveOptions({ token: "eyJ…" }).baseUrl; // "https://api.flatpeak.com"
 */
export function resolveOptions(options: FlatpeakClientOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") throw new TypeError(`${PREFIX} pass an options object, e.g. { accountId, apiKey }.`);
  return {
    credentials: resolveCredentials(options),
    baseUrl: resolveBaseUrl(options.baseUrl),
    apiVersion: headerSafe("apiVersion", options.apiVersion) ?? FLATPEAK_API_VERSION,
    timeoutMs: wholeNumber("timeoutMs", options.timeoutMs, 1, MAX_TIMER_MS) ?? DEFAULT_TIMEOUT_MS,
    maxRetries: wholeNumber("maxRetries", options.maxRetries, 0, 10) ?? DEFAULT_MAX_RETRIES,
    fetch: resolveFetch(options.fetch),
    headers: resolveHeaders(options.headers),
    log: shielded(resolveFunction("log", options.log)),
  };
}

function resolveCredentials(options: FlatpeakClientOptions): Credentials {
  const accountId = headerSafe("accountId", options.accountId);
  const apiKey = headerSafe("apiKey", options.apiKey);
  const token = headerSafe("token", options.token);
  const getToken = resolveFunction("getToken", options.getToken);
  const given = [accountId !== undefined || apiKey !== undefined, token !== undefined, getToken !== undefined].filter(Boolean).length;
  if (given > 1) throw new TypeError(`${PREFIX} pass only one of { accountId, apiKey }, { token } or { getToken }.`);
  if (token !== undefined) return { kind: "token", token };
  if (getToken !== undefined) return { kind: "callback", getToken };
  if (accountId === undefined && apiKey === undefined) {
    throw new TypeError(`${PREFIX} no credentials. Pass { accountId, apiKey } from your Flatpeak dashboard, or { token } / { getToken } with a bearer token of your own.`);
  }
  if (accountId === undefined) throw new TypeError(`${PREFIX} accountId is missing; pass it with apiKey (it looks like "acc_…").`);
  if (apiKey === undefined) throw new TypeError(`${PREFIX} apiKey is missing; pass it with accountId.`);
  // Stryker disable next-line StringLiteral: every kind other than token and callback logs in, so the tag's text is not read
  return { kind: "login", accountId, apiKey };
}

function nonEmpty(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw new TypeError(`${PREFIX} ${name} must be a non-empty string; leave it out to use the default.`);
  return value;
}

/** A non-empty string that can be sent in a header; the message never shows the value, which may be a secret. */
function headerSafe(name: string, value: unknown): string | undefined {
  const text = nonEmpty(name, value);
  if (text !== undefined && hasControlCharacter(text)) {
    throw new TypeError(`${PREFIX} ${name} has a control character (newline, NUL, …), which cannot be sent in a header; check how it was read, e.g. trim a trailing newline.`);
  }
  return text;
}

function resolveBaseUrl(value: string | undefined): string {
  const text = nonEmpty("baseUrl", value) ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`${PREFIX} baseUrl must be an absolute http(s) URL such as "${DEFAULT_BASE_URL}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`${PREFIX} baseUrl must use http or https, got "${url.protocol}"; use e.g. "${DEFAULT_BASE_URL}".`);
  }
  if (url.username || url.password) throw new TypeError(`${PREFIX} baseUrl must not contain credentials; pass them as accountId and apiKey.`);
  if (url.search || url.hash) throw new TypeError(`${PREFIX} baseUrl must not have a query or fragment.`);
  return url.href.replace(/\/+$/, "");
}

function wholeNumber(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${PREFIX} ${name} must be a whole number from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

function resolveFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") throw new TypeError(`${PREFIX} ${name} must be a function.`);
  return value;
}

function resolveFetch(value: FetchLike | undefined): FetchLike | undefined {
  const custom = resolveFunction("fetch", value);
  if (custom === undefined && typeof globalThis.fetch !== "function") throw new TypeError(`${PREFIX} no global fetch in this runtime; pass one as the fetch option.`);
  return custom;
}

function resolveHeaders(value: FlatpeakClientOptions["headers"]): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, headerValue] of headerEntries(value)) {
    const problem = headerProblem(name, headerValue);
    if (problem) throw new TypeError(`${PREFIX} headers: ${problem}`);
    const key = Object.keys(resolved).find((known) => known.toLowerCase() === name.toLowerCase()) ?? name;
    resolved[key] = resolved[key] === undefined ? String(headerValue) : `${resolved[key]}, ${String(headerValue)}`;
  }
  return resolved;
}

function headerEntries(value: unknown): Array<[string, unknown]> {
  if (value === undefined) return [];
  if (value instanceof Headers) return [...value.entries()];
  if (Array.isArray(value)) {
    return value.map((pair: unknown) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError(`${PREFIX} headers: each item of an array must be a [name, value] pair.`);
      return [String(pair[0]), pair[1]];
    });
  }
  if (value === null || typeof value !== "object") throw new TypeError(`${PREFIX} headers must be an object of header names to values, a Headers or [name, value] pairs.`);
  return Object.entries(value);
}

/** What is wrong with one header; never quotes the value, which may be a secret. */
function headerProblem(name: string, value: unknown): string | undefined {
  if (!isHeaderName(name)) return `"${name}" is not a valid header name; use letters, digits and - (e.g. "X-Tenant").`;
  if (name.toLowerCase() === "authorization") return "must not set Authorization; pass credentials as { accountId, apiKey }, { token } or { getToken }.";
  if (typeof value !== "string") return `header "${name}" must be a string, got ${value === null ? "null" : typeof value}.`;
  if (hasControlCharacter(value)) return `header "${name}" has a control character (newline, NUL, …) in its value; remove it.`;
  return undefined;
}
