import type { Step } from "../call/call.js";
import { stoppedError } from "../call/stopped.js";

/**
 * At most `max` calls of the client in flight at once; the others wait in
 * line, first come first served. A call holds its place from its first
 * attempt to its answer, retries included. A waiting call still aborts at
 * once on its signal or deadline, and leaves the line without taking or
 * freeing a place.
 *
 * @example
 * const parts = { queue: concurrencyLimit(16) };
 */
export function concurrencyLimit(max: number): Step {
  let active = 0;
  const waiting = new Set<() => void>();
  const release = () => {
    const [first] = waiting;
    if (first === undefined) active--;
    else {
      waiting.delete(first);
      first();
    }
  };
  return async (request, call, next) => {
    if (active < max && waiting.size === 0) active++;
    else await inLine(waiting, call.signal, () => stoppedError(request, call));
    try {
      return await next(request, call);
    } finally {
      release();
    }
  };
}

/** Resolves when the place is handed over; rejects with `onAbort()`, leaving the line, when `signal` aborts first. */
function inLine(waiting: Set<() => void>, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const abort = () => {
      waiting.delete(start);
      reject(onAbort());
    };
    const start = () => {
      signal?.removeEventListener("abort", abort);
      resolve();
    };
    signal?.addEventListener("abort", abort);
    waiting.add(start);
  });
}
