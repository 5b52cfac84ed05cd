import { sleep } from "../shared/abort.js";
import type { FlatpeakError } from "../errors/errors.js";
import { mayRetry, retryDelay, type Outcome } from "./retry-policy.js";
import type { Step } from "./call.js";
import { stoppedError } from "./stopped.js";

/**
 * Sends a request again after a failure worth retrying (see `retryDelay`),
 * up to `maxRetries` times, when the request may be sent again (`mayRetry`:
 * the method, the spec's retry-safe POSTs, or the call's `retry`). It waits
 * the backoff or `Retry-After` in between, and starts no wait that would pass
 * the call's deadline: the last answer is then the call's answer. Each
 * attempt's end is noted for the plugins that observe the call.
 *
 * @example
 * const transport = chain([retry(2), rateLimitPause()], attempt);
 */
export function retry(maxRetries: number): Step {
  return async (request, call, next) => {
    const retries = mayRetry(call, request.url) ? maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      const startedAt = call.note && performance.now();
      let outcome: Outcome;
      try {
        outcome = { response: await next(request, call) };
      } catch (error) {
        outcome = { error: error as FlatpeakError };
      }
      const delayMs = attempt < retries ? retryDelay(outcome, attempt) : undefined;
      const retryInMs = delayMs === undefined || performance.now() + delayMs >= call.deadlineAt ? undefined : delayMs;
      call.note?.({ type: "attempt", request, attempt: attempt + 1, startedAt: startedAt as number, outcome, retryInMs });
      if (retryInMs === undefined) return settle(outcome);
      await sleep(retryInMs, call.signal, () => stoppedError(request, call));
    }
  };
}

function settle(outcome: Outcome): Response {
  if ("error" in outcome) throw outcome.error;
  return outcome.response;
}
