import { follow } from "../shared/abort.js";
import type { Step } from "../call/call.js";
import { requestFailed, type FlatpeakError } from "../errors/errors.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";

/**
 * Bounds each whole call by its deadline — the call's own `deadlineMs`, or
 * the client's `defaultMs` — covering the wait in line, the token wait,
 * every attempt, every backoff and `Retry-After` wait. When it runs out the
 * call's signal aborts with a `FlatpeakError` of kind `timeout` that names the
 * deadline (the caller's own signal still aborts it too), and `deadlineAt`
 * tells later steps when that is, so that they start no wait past it. A call
 * without a deadline goes straight on.
 *
 * @example
 * const parts = { deadline: deadline(10_000) };
 */
export function deadline(defaultMs: number | undefined): Step {
  return async (request, call, next) => {
    const deadlineMs = wholeNumberOption(`${call.operation}`, "deadlineMs", call.deadlineMs, defaultMs, 1, MAX_TIMER_MS);
    if (deadlineMs === undefined) return next(request, call);
    const controller = new AbortController();
    const unfollow = follow(call.signal, controller);
    const timer = setTimeout(() => controller.abort(ranOut(request, deadlineMs)), deadlineMs);
    call.signal = controller.signal;
    call.deadlineAt = performance.now() + deadlineMs;
    try {
      return await next(request, call);
    } finally {
      clearTimeout(timer);
      unfollow();
    }
  };
}

function ranOut(request: Request, deadlineMs: number): FlatpeakError {
  return requestFailed("timeout", request, `ran out of its deadline of ${deadlineMs} ms (deadlineMs)`);
}
