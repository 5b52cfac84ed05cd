import { hasControlCharacter } from "../http/header-checks.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { partsOf, type FlatpeakPlugin, type PluginParts } from "./plugin.js";
import type { FetchLike } from "../call/call.js";
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
 * @internal
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
 * @internal
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
const WHERE = "createFlatpeakClient";
const PLUGINS_WANTED = "use must be an array of plugins.";
/**
 * The options of a client, each marked `true` when no call takes it
 * (`baseUrl`, `fetch` and `headers` are also options of each call).
 *
 * @example
 * if (CLIENT_OPTIONS.timeoutMs && "timeoutMs" in init) throw new TypeError("timeoutMs is an option of the client");
 * @internal
 */
export const CLIENT_OPTIONS: EveryKey<FlatpeakClientOptions, boolean> = { accountId: true, apiKey: true, token: true, getToken: true, apiVersion: true, timeoutMs: true, maxRetries: true, use: true, baseUrl: false, fetch: false, headers: false };
const LIMITS = "use: [callLimits({ maxConcurrency, deadlineMs })]";
const EVENTS = "use: [callEvents({ onEvent })]";
/** Options that are a plugin's (`log` was 0.x's hook), and the plugin. */
const ELSEWHERE = { maxConcurrency: LIMITS, deadlineMs: LIMITS, log: EVENTS, onEvent: EVENTS, tokenStore: "use: [tokenStore(store)]" };

/**
 * Validates options and fills in defaults; throws a `TypeError` that names the
 * option and the fix before any request is made.
 *
 * @example
 * resolveOptions({ token: "eyJ…" }).baseUrl; // "https://api.flatpeak.com"
 * @internal
 */
export function resolveOptions(options: FlatpeakClientOptions): ResolvedOptions {
  checkKeys(WHERE, options, CLIENT_OPTIONS, ELSEWHERE);
  const fetch = functionOption("fetch", options.fetch);
  if (fetch === undefined && typeof globalThis.fetch !== "function") refuse("this runtime has no fetch; pass one as fetch.");
  return {
    credentials: resolveCredentials(options),
    baseUrl: resolveBaseUrl(safeText("baseUrl", options.baseUrl) ?? DEFAULT_BASE_URL),
    apiVersion: safeText("apiVersion", options.apiVersion) ?? FLATPEAK_API_VERSION,
    timeoutMs: wholeNumberOption(WHERE, "timeoutMs", options.timeoutMs, 30_000, 1, MAX_TIMER_MS),
    maxRetries: wholeNumberOption(WHERE, "maxRetries", options.maxRetries, 2, 0, 10),
    fetch,
    headers: resolveHeaders(options.headers),
    plugins: resolvePlugins(options.use, options.accountId !== undefined),
  };
}

function refuse(problem: string): never {
  throw new TypeError(`${WHERE}: ${problem}`);
}

function resolveCredentials(options: FlatpeakClientOptions): Credentials {
  const accountId = safeText("accountId", options.accountId);
  const apiKey = safeText("apiKey", options.apiKey);
  const token = safeText("token", options.token);
  const getToken = functionOption("getToken", options.getToken);
  const forms = [accountId ?? apiKey, token, getToken].filter((given) => given !== undefined).length;
  if (forms > 1) refuse("pass only one of { accountId, apiKey }, { token } or { getToken }.");
  if (token !== undefined) return { kind: "token", token };
  if (getToken !== undefined) return { kind: "callback", getToken };
  if (accountId === undefined || apiKey === undefined) {
    refuse(`${forms === 0 ? "no credentials" : `${accountId === undefined ? "accountId" : "apiKey"} is missing`}. Pass one of { accountId, apiKey }, { token } or { getToken }.`);
  }
  // Stryker disable next-line StringLiteral: every kind other than token and callback logs in, so the tag's text is not read
  return { kind: "login", accountId, apiKey };
}

/** A non-empty string without control characters; the message never shows the value, which may be a secret. */
function safeText(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") refuse(`${name} must be a non-empty string, or left out.`);
  if (hasControlCharacter(value)) refuse(`${name} has a control character (newline, NUL, …); trim it.`);
  return value;
}

function resolveBaseUrl(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : refuse(`baseUrl must be an absolute URL such as "${DEFAULT_BASE_URL}".`);
  const problem = !["https:", "http:"].includes(url.protocol) ? `must use http or https, got "${url.protocol}"` : url.username || url.password || url.search || url.hash ? "must not have credentials, a query or a fragment" : undefined;
  if (problem) refuse(`baseUrl ${problem}.`);
  return url.href.replace(/\/+$/, "");
}

function functionOption<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") refuse(`${name} must be a function.`);
  return value;
}

/** The parts of the plugins; a plugin that shares logins is refused on a client that never logs in. */
function resolvePlugins(value: unknown, logsIn: boolean): PluginParts[] {
  if (value !== undefined && !Array.isArray(value)) refuse(PLUGINS_WANTED);
  return ((value ?? []) as FlatpeakPlugin[]).map((plugin) => {
    const parts = partsOf(plugin) ?? refuse(PLUGINS_WANTED);
    if (parts.loginSource && !logsIn) refuse(`${plugin.name}() shares logins, and a client with token or getToken never logs in: give accountId and apiKey, or leave it out.`);
    return parts;
  });
}

/**
 * The headers joined as fetch joins them: one entry per name in any letter
 * case, values given twice comma-separated. A problem is named without
 * quoting the value, which may be a secret (so only a name can be what
 * `Headers` itself refuses, in its own words).
 */
function resolveHeaders(value: unknown): Record<string, string> {
  if (value !== undefined && (value === null || typeof value !== "object")) refuse("headers must be an object, a Headers or [name, value] pairs.");
  const pairs = value instanceof Headers || Array.isArray(value) ? [...(value as Iterable<unknown>)] : Object.entries(value ?? {});
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) refuse("headers: each item must be a [name, value] pair.");
    if (/^authorization$/i.test(pair[0])) refuse("headers must not set Authorization; pass credentials as options.");
    if (typeof pair[1] !== "string" || hasControlCharacter(pair[1])) refuse(`headers: the value of "${String(pair[0])}" must be a string without control characters (newline, NUL, …).`);
  }
  try {
    return Object.fromEntries(new Headers(pairs as Array<[string, string]>));
  } catch (error) {
    return refuse(`headers: ${(error as Error).message}`);
  }
}
