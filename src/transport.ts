import { FlatpeakError } from "./errors.js";
import type { FlatpeakLogHook } from "./log.js";
import { redactUrl } from "./redact.js";

/**
 * The fetch seam: what openapi-fetch calls and what a custom `fetch` option must be.
 *
 * @example
 * const logged: FetchLike = (request, init) => {
 *   console.debug(request.method, request.url);
 *   return fetch(request, init);
 * };
 */
export type FetchLike = (request: Request, init?: RequestInit) => Promise<Response>;

/**
 * How {@link createTransport} sends requests.
 *
 * @example
 * const options: TransportOptions = { fetch: globalThis.fetch, timeoutMs: 30_000, maxRetries: 2, log: undefined };
 */
export interface TransportOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxRetries: number;
  log: FlatpeakLogHook | undefined;
}

type Outcome = { response: Response } | { error: FlatpeakError };

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Wraps `fetch` with a timeout per attempt (covering the whole body) and
 * bounded retries of idempotent requests on network errors, timeouts, 408,
 * 429 and 5xx, with exponential backoff and jitter, honouring `Retry-After`
 * up to 60 s. Resolves with a fully read response; rejects with a
 * {@link FlatpeakError} of kind `network`, `timeout` or `aborted`.
 *
 * @example
 * const send = createTransport({ fetch: globalThis.fetch, timeoutMs: 30_000, maxRetries: 2, log: undefined });
 * const response = await send(new Request("https://api.flatpeak.com/login"));
 */
export function createTransport(options: TransportOptions): FetchLike {
  return async function send(template, init) {
    const retryable = IDEMPOTENT_METHODS.has(template.method);
    const body = template.body === null ? undefined : await template.clone().arrayBuffer();
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(template, body === undefined ? init : { ...init, body }, options);
      const delayMs = retryable && attempt < options.maxRetries ? retryDelay(outcome, attempt) : undefined;
      if (delayMs === undefined) return settle(outcome);
      options.log?.({ event: "retry", method: template.method, url: redactUrl(template.url), attempt: attempt + 1, delayMs, ...describeOutcome(outcome) });
      await sleep(delayMs, template);
    }
  };
}

/**
 * One attempt. The template goes out with this attempt's own signal and, when
 * there is a body, the bytes read from it once, so the template's own body is
 * never consumed and every attempt sends the same request.
 */
async function attemptOnce(template: Request, init: RequestInit | undefined, options: TransportOptions): Promise<Outcome> {
  const controller = new AbortController();
  const caller = template.signal;
  const onCallerAbort = () => controller.abort(caller.reason);
  if (caller.aborted) onCallerAbort();
  else caller.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await options.fetch(template, { ...init, signal: controller.signal });
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.text();
    return { response: withBody(response, body) };
  } catch (cause) {
    const kind = caller.aborted ? "aborted" : controller.signal.aborted ? "timeout" : "network";
    const request = `${template.method} ${redactUrl(template.url)}`;
    const message =
      kind === "timeout" ? `${request} timed out after ${options.timeoutMs} ms` : kind === "aborted" ? `${request} was aborted` : `${request} failed: ${errorMessage(cause)}`;
    return { error: new FlatpeakError({ kind, method: template.method, url: template.url, cause, message }) };
  } finally {
    clearTimeout(timer);
    caller.removeEventListener("abort", onCallerAbort);
  }
}

/**
 * A copy of `response` holding `body` (already decoded) in memory, keeping
 * status, URL and, unless others are given, headers — less any
 * `content-encoding` and `content-length` that described the encoded bytes.
 *
 * @example
 * const typed = withBody(response, JSON.stringify(errorBody), new Headers({ "content-type": "application/json" }));
 */
export function withBody(response: Response, body: string | null, headers: Headers = decodedHeaders(response.headers)): Response {
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(copy, "url", { value: response.url });
  return copy;
}

function decodedHeaders(headers: Headers): Headers {
  if (!headers.has("content-encoding")) return headers;
  const copy = new Headers(headers);
  copy.delete("content-encoding");
  copy.delete("content-length");
  return copy;
}

function retryDelay(outcome: Outcome, attempt: number): number | undefined {
  if ("error" in outcome) return outcome.error.kind === "aborted" ? undefined : backoff(attempt);
  const { status, headers } = outcome.response;
  if (status !== 408 && status !== 429 && status < 500) return undefined;
  const retryAfter = parseRetryAfter(headers.get("retry-after"));
  if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS) return undefined;
  return retryAfter ?? backoff(attempt);
}

function backoff(attempt: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * (1 - Math.random() * 0.25));
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function settle(outcome: Outcome): Response {
  if ("error" in outcome) throw outcome.error;
  return outcome.response;
}

function describeOutcome(outcome: Outcome): { status: number } | { kind: string } {
  return "error" in outcome ? { kind: outcome.error.kind } : { status: outcome.response.status };
}

function sleep(ms: number, template: Request): Promise<void> {
  const { signal } = template;
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FlatpeakError({ kind: "aborted", method: template.method, url: template.url, message: `${template.method} ${redactUrl(template.url)} was aborted` }));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

function errorMessage(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const reason = cause instanceof Error && cause.cause instanceof Error ? ` (${cause.cause.message})` : "";
  return `${message}${reason}`;
}
