import { sleep } from "../abort.js";
import type { FlatpeakError } from "../errors.js";
import type { FlatpeakLogHook } from "../log.js";
import { redactUrl } from "../redact.js";
import { mayRetry, retryDelay, type Outcome } from "../retry-policy.js";
import type { Step } from "./call.js";
import { stoppedError } from "./stopped.js";

/**
 * Sends a request again after a failure worth retrying (see `retryDelay`),
 * up to `maxRetries` times, when the request may be sent again (`mayRetry`:
 * the method, the spec's retry-safe POSTs, or the call's `retry`). It waits
 * the backoff or `Retry-After` in between, and starts no wait that would pass
 * the call's deadline: the last answer is then the call's answer.
 *
 * @example
 * const transport = chain([retry(2, log), rateLimitPause()], attempt);
 */
export function retry(maxRetries: number, log: FlatpeakLogHook | undefined): Step {
  return async (request, call, next) => {
    const retries = mayRetry(call, request.url) ? maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      const outcome: Outcome = await next(request, call).then(
        (response) => ({ response }),
        (error: FlatpeakError) => ({ error }),
      );
      const delayMs = attempt < retries ? retryDelay(outcome, attempt) : undefined;
      if (delayMs === undefined || performance.now() + delayMs >= call.deadlineAt) return settle(outcome);
      log?.({ event: "retry", method: request.method, url: redactUrl(request.url), attempt: attempt + 1, delayMs, ...describe(outcome) });
      await sleep(delayMs, call.signal, () => stoppedError(request, call));
    }
  };
}

function settle(outcome: Outcome): Response {
  if ("error" in outcome) throw outcome.error;
  return outcome.response;
}

function describe(outcome: Outcome): { status: number } | { kind: string } {
  return "error" in outcome ? { kind: outcome.error.kind } : { status: outcome.response.status };
}
