import { hasControlCharacter, isHeaderName } from "./header-checks.js";
import { MAX_TIMER_MS, wholeNumberOption } from "./number-option.js";
import { partsOf, type FlatpeakPlugin, type PluginParts } from "./plugin.js";
import type { FetchLike } from "./call/call.js";
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
  /** Retries after network errors, timeouts, 408, 429 and 5xx, of the requests that may be sent again (idempotent methods and the POSTs the spec marks retry-safe); default 2. */
  maxRetries?: number | undefined;
  /** A fetch implementation, given a fresh `Request` for every attempt; default the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** Extra headers for every request, `GET /login` included: an object, a `Headers` or `[name, value]` pairs. */
  headers?: Record<string, string> | Headers | ReadonlyArray<readonly [string, string]> | undefined;
  /** Plugins that add to every call: `callLimits()` of `flatpeak-client/limits` (a deadline, a concurrency cap, a 429 pause), `callEvents()` of `flatpeak-client/events` (an event for each call, attempt and login), `tracing()` of `flatpeak-client/otel`. */
  use?: readonly FlatpeakPlugin[] | undefined;
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
  /** The parts of the plugins of `use`, in order. */
  plugins: PluginParts[];
}

const DEFAULT_BASE_URL = "https://api.flatpeak.com";
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 2;
const WHERE = "createFlatpeakClient";
const PLUGINS_WANTED = "use takes an array of this package's plugins, e.g. [callLimits()] from flatpeak-client/limits.";

/**
 * Validates options and fills in defaults; throws a `TypeError` that names the
 * option and the fix before any request is made.
 *
 * @example
 * resolveOptions({ token: "eyJ…" }).baseUrl; // "https://api.flatpeak.com"
 */
export function resolveOptions(options: FlatpeakClientOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") refuse("pass an options object, e.g. { accountId, apiKey }.");
  return {
    credentials: resolveCredentials(options),
    baseUrl: resolveBaseUrl(options.baseUrl),
    apiVersion: safeText("apiVersion", options.apiVersion) ?? FLATPEAK_API_VERSION,
    timeoutMs: wholeNumberOption(WHERE, "timeoutMs", options.timeoutMs, DEFAULT_TIMEOUT_MS, 1, MAX_TIMER_MS),
    maxRetries: wholeNumberOption(WHERE, "maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES, 0, 10),

    fetch: resolveFetch(options.fetch),
    headers: resolveHeaders(options.headers),
    plugins: resolvePlugins(options.use),
  };
}

function refuse(problem: string): never {
  throw new TypeError(`${WHERE}: ${problem}`);
}

function resolveCredentials(options: FlatpeakClientOptions): Credentials {
  const accountId = safeText("accountId", options.accountId);
  const apiKey = safeText("apiKey", options.apiKey);
  const token = safeText("token", options.token);
  const getToken = resolveFunction("getToken", options.getToken);
  const forms = [accountId ?? apiKey, token, getToken].filter((given) => given !== undefined).length;
  if (forms > 1) refuse("pass only one of { accountId, apiKey }, { token } or { getToken }.");
  if (token !== undefined) return { kind: "token", token };
  if (getToken !== undefined) return { kind: "callback", getToken };
  if (accountId === undefined || apiKey === undefined) {
    const missing = forms === 0 ? "no credentials" : `${accountId === undefined ? "accountId" : "apiKey"} is missing`;
    refuse(`${missing}. Pass { accountId, apiKey } from your Flatpeak dashboard, or { token } / { getToken } with a bearer token of your own.`);
  }
  // Stryker disable next-line StringLiteral: every kind other than token and callback logs in, so the tag's text is not read
  return { kind: "login", accountId, apiKey };
}

/** A non-empty string without control characters; the message never shows the value, which may be a secret. */
function safeText(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") refuse(`${name} must be a non-empty string; leave it out to use the default.`);
  if (hasControlCharacter(value)) refuse(`${name} has a control character (newline, NUL, …), which cannot be sent; check how it was read, e.g. trim a trailing newline.`);
  return value;
}

function resolveBaseUrl(value: string | undefined): string {
  const url = parseBaseUrl(safeText("baseUrl", value) ?? DEFAULT_BASE_URL);
  const problem = !["https:", "http:"].includes(url.protocol)
    ? `must use http or https, got "${url.protocol}"`
    : url.username || url.password
      ? "must not contain credentials; pass them as accountId and apiKey"
      : url.search || url.hash
        ? "must not have a query or fragment"
        : undefined;
  if (problem) refuse(`baseUrl ${problem}; use e.g. "${DEFAULT_BASE_URL}".`);
  return url.href.replace(/\/+$/, "");
}

function parseBaseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    return refuse(`baseUrl must be an absolute http(s) URL such as "${DEFAULT_BASE_URL}".`);
  }
}

function resolveFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") refuse(`${name} must be a function.`);
  return value;
}

function resolveFetch(value: FetchLike | undefined): FetchLike | undefined {
  const custom = resolveFunction("fetch", value);
  if (custom === undefined && typeof globalThis.fetch !== "function") refuse("no global fetch in this runtime; pass one as the fetch option.");
  return custom;
}

function resolvePlugins(value: unknown): PluginParts[] {
  if (value !== undefined && !Array.isArray(value)) refuse(PLUGINS_WANTED);
  return ((value ?? []) as unknown[]).map((plugin) => partsOf(plugin) ?? refuse(PLUGINS_WANTED));
}

/** The headers joined as fetch joins them: one entry per name in any letter case, values given twice comma-separated. */
function resolveHeaders(value: FlatpeakClientOptions["headers"]): Record<string, string> {
  const resolved = new Headers();
  for (const [name, headerValue] of headerEntries(value)) {
    const problem = headerProblem(name, headerValue);
    if (problem) refuse(`headers: ${problem}`);
    resolved.append(name, headerValue as string);
  }
  return Object.fromEntries(resolved);
}

function headerEntries(value: unknown): Array<[string, unknown]> {
  if (value === undefined) return [];
  if (value instanceof Headers) return [...value];
  if (Array.isArray(value)) {
    return value.map((pair: unknown) => (Array.isArray(pair) && pair.length === 2 ? [String(pair[0]), pair[1]] : refuse("headers: each item of an array must be a [name, value] pair.")));
  }
  if (value === null || typeof value !== "object") refuse("headers must be an object of header names to values, a Headers or [name, value] pairs.");
  return Object.entries(value);
}

/** What is wrong with one header; never quotes the value, which may be a secret. */
function headerProblem(name: string, value: unknown): string | undefined {
  if (!isHeaderName(name)) return `"${name}" is not a valid header name; use letters, digits and - (e.g. "X-Tenant").`;
  if (/^authorization$/i.test(name)) return "must not set Authorization; pass credentials as { accountId, apiKey }, { token } or { getToken }.";
  if (typeof value !== "string") return `header "${name}" must be a string, got ${value === null ? "null" : typeof value}.`;
  if (hasControlCharacter(value)) return `header "${name}" has a control character (newline, NUL, …) in its value; remove it.`;
  return undefined;
}
