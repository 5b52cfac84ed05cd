import { follow, sleep, untilAborted } from "./abort.js";
import { readBody } from "./buffered-response.js";
import { FlatpeakError } from "./errors.js";
import type { FlatpeakLogHook } from "./log.js";
import type { OutgoingRequest } from "./outgoing-request.js";
import { redactUrl } from "./redact.js";
import { isRetryable, retryDelay, type Outcome } from "./retry-policy.js";

/**
 * The shape of a custom `fetch`: `globalThis.fetch` itself fits. The client
 * calls it with a fresh `Request` for every attempt, carrying its own body
 * and abort signal, so a fetch that only forwards the `Request` works.
 *
 * @example
 * const logged: FetchLike = (request) => {
 *   console.debug(request.method, request.url);
 *   return fetch(request);
 * };
 */
export type FetchLike = (request: Request, init?: RequestInit) => Promise<Response>;

/**
 * Sends one request through the timeouts and retries; `fetch` replaces the
 * client's for this request.
 *
 * @example
 * const response = await send(new OutgoingRequest("https://api.flatpeak.com/customers"));
 */
export type Send = (request: OutgoingRequest, fetch?: FetchLike) => Promise<Response>;

/**
 * How {@link createTransport} sends requests; `fetch: undefined` is the
 * global `fetch`, looked up on every attempt.
 *
 * @example
 * const options: TransportOptions = { fetch: undefined, timeoutMs: 30_000, maxRetries: 2, log: undefined };
 */
export interface TransportOptions {
  fetch: FetchLike | undefined;
  timeoutMs: number;
  maxRetries: number;
  log: FlatpeakLogHook | undefined;
}

/**
 * Sends requests with a timeout per attempt that covers the whole body, and
 * bounded retries of idempotent requests (see {@link retryDelay}). Resolves
 * with a response whose body has been read; rejects with a
 * {@link FlatpeakError} of kind `network`, `timeout` or `aborted`.
 *
 * @example
 * const send = createTransport({ fetch: undefined, timeoutMs: 30_000, maxRetries: 2, log: undefined });
 * const response = await send(new OutgoingRequest("https://api.flatpeak.com/login"));
 */
export function createTransport(options: TransportOptions): Send {
  return async function send(request, fetch = options.fetch) {
    const retries = isRetryable(request.method) ? options.maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(request, fetch, options.timeoutMs);
      const delayMs = attempt < retries ? retryDelay(outcome, attempt) : undefined;
      if (delayMs === undefined) return settle(outcome);
      options.log?.({ event: "retry", method: request.method, url: redactUrl(request.url), attempt: attempt + 1, delayMs, ...describe(outcome) });
      await sleep(delayMs, request.callerSignal, () => abortedError(request));
    }
  };
}

/**
 * One attempt, under its own signal: the timeout's, following the caller's.
 * A custom fetch that ignores the signal is still cut off by it.
 */
async function attemptOnce(request: OutgoingRequest, fetch: FetchLike | undefined, timeoutMs: number): Promise<Outcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const unfollow = follow(request.callerSignal, controller);
  try {
    const answered = dispatch(request, controller.signal, fetch).then(readBody);
    const response = fetch === undefined ? await answered : await untilAborted(answered, controller.signal, () => controller.signal.reason);
    return { response };
  } catch (cause) {
    return { error: attemptError(request, cause, controller.signal.aborted, timeoutMs) };
  } finally {
    clearTimeout(timer);
    unfollow();
  }
}

/**
 * The global fetch gets the request itself (its body on the first send, the
 * kept source after that); a custom fetch gets a fresh `Request` each time.
 */
function dispatch(request: OutgoingRequest, signal: AbortSignal, fetch: FetchLike | undefined): Promise<Response> {
  const body = request.source;
  if (fetch === undefined) return globalThis.fetch(request, request.bodyUsed ? { signal, body } : { signal });
  return fetch(new Request(request, { signal, body }));
}

function attemptError(request: OutgoingRequest, cause: unknown, signalled: boolean, timeoutMs: number): FlatpeakError {
  if (request.callerSignal?.aborted) return abortedError(request, cause);
  const where = `${request.method} ${redactUrl(request.url)}`;
  const kind = signalled ? "timeout" : "network";
  const message = signalled ? `${where} timed out after ${timeoutMs} ms` : `${where} failed: ${errorMessage(cause)}`;
  return new FlatpeakError({ kind, method: request.method, url: request.url, cause, message });
}

/**
 * The error of a call whose caller aborted it.
 *
 * @example
 * throw abortedError(request);
 */
export function abortedError(request: Request, cause?: unknown): FlatpeakError {
  const message = `${request.method} ${redactUrl(request.url)} was aborted`;
  return new FlatpeakError({ kind: "aborted", method: request.method, url: request.url, message, cause });
}

function settle(outcome: Outcome): Response {
  if ("error" in outcome) throw outcome.error;
  return outcome.response;
}

function describe(outcome: Outcome): { status: number } | { kind: string } {
  return "error" in outcome ? { kind: outcome.error.kind } : { status: outcome.response.status };
}

function errorMessage(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  const reason = cause instanceof Error && cause.cause instanceof Error ? ` (${cause.cause.message})` : "";
  return `${message}${reason}`;
}
