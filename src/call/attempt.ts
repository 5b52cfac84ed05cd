import { follow, untilAborted } from "../shared/abort.js";
import { readBody } from "../http/buffered-response.js";
import { requestFailed, type FlatpeakError } from "../errors/errors.js";
import type { OutgoingRequest } from "../http/outgoing-request.js";
import { maskedAnswer, maskSecrets, secretsOf } from "../errors/redact.js";
import type { Call, FetchLike, Send } from "./call.js";
import { stoppedError } from "./stopped.js";

/**
 * How each attempt is sent: the client's `fetch` (`undefined`: the global
 * one, looked up on every attempt) and the time it may take.
 *
 * @example
 * const options: AttemptOptions = { fetch: undefined, timeoutMs: 30_000 };
 */
export interface AttemptOptions {
  fetch: FetchLike | undefined;
  timeoutMs: number;
  /** The client's own secrets (its API key), masked wherever a failed answer repeats them. */
  secrets: readonly string[];
}

/**
 * Sends one attempt under a signal of its own: the timeout's, following the
 * call's (caller and deadline). The timeout covers the whole body, which is
 * read before the attempt ends, so a stalled or cut body fails the attempt
 * instead of the caller's later read; a custom fetch that ignores the signal
 * is still cut off. A failed answer (or failure) that repeats a secret —
 * the request's credential, its `connect_token` values, the client's API key
 * — has it masked before any step sees it. Rejects with a
 * `FlatpeakError` of kind `network`, `timeout` or `aborted`.
 *
 * @example
 * const transport = chain([retry(2), rateLimitPause()], attempt({ fetch: undefined, timeoutMs: 30_000, secrets: [apiKey] }));
 */
export function attempt(options: AttemptOptions): Send {
  return async (request, call) => {
    const fetch = call.fetch ?? options.fetch;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    const unfollow = follow(call.signal, controller);
    try {
      const answered = dispatch(request, controller.signal, fetch).then(readBody);
      const response = fetch === undefined ? await answered : await untilAborted(answered, controller.signal, () => controller.signal.reason);
      return response.ok ? response : maskedAnswer(response, secretsOf(request, options.secrets));
    } catch (cause) {
      throw attemptError(request, call, cause, controller.signal.aborted, options);
    } finally {
      clearTimeout(timer);
      unfollow();
    }
  };
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

function attemptError(request: OutgoingRequest, call: Call, cause: unknown, signalled: boolean, { timeoutMs, secrets }: AttemptOptions): FlatpeakError {
  if (call.signal?.aborted) return stoppedError(request, call, cause);
  return signalled ? requestFailed("timeout", request, `timed out after ${timeoutMs} ms`, cause) : requestFailed("network", request, `failed: ${maskSecrets(errorMessage(cause), secretsOf(request, secrets))}`, cause);
}

function errorMessage(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  return cause.cause instanceof Error ? `${cause.message} (${cause.cause.message})` : cause.message;
}
