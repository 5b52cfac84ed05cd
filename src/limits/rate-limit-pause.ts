import { sleep } from "../shared/abort.js";
import { requestFailed, type FlatpeakError } from "../errors/errors.js";
import { MAX_RETRY_AFTER_MS, retryAfterMs } from "../http/retry-after.js";
import type { Step } from "../call/call.js";
import { stoppedError } from "../call/stopped.js";

/**
 * One pause for the whole client when Flatpeak answers 429 with
 * `Retry-After`: no attempt of any call (logins included) is sent until then,
 * instead of every call in flight running into the limit on its own. The
 * pause lasts at most 60 s. A call whose deadline would pass during the pause
 * is not held: it fails at once with a `FlatpeakError` of kind `timeout`,
 * with no backoff or other attempt after it.
 *
 * @example
 * const parts = { pause: rateLimitPause() };
 */
export function rateLimitPause(): Step {
  let pausedUntil = 0;
  return async (request, call, next) => {
    const waitMs = pausedUntil - performance.now();
    if (waitMs > 0) {
      if (performance.now() + waitMs >= call.deadlineAt) {
        // The call cannot make its deadline: it has no time left, so the retry step starts no backoff after this.
        call.deadlineAt = performance.now();
        throw pausedPastDeadline(request, waitMs);
      }
      await sleep(waitMs, call.signal, () => stoppedError(request, call));
    }
    const response = await next(request, call);
    const pauseMs = response.status === 429 ? retryAfterMs(response.headers) : undefined;
    if (pauseMs !== undefined) pausedUntil = Math.max(pausedUntil, performance.now() + Math.min(pauseMs, MAX_RETRY_AFTER_MS));
    return response;
  };
}

function pausedPastDeadline(request: Request, waitMs: number): FlatpeakError {
  return requestFailed("timeout", request, `would pass its deadline (deadlineMs): Flatpeak's rate limit pauses the client for ${Math.ceil(waitMs)} ms more`);
}
