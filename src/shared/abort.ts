/**
 * Settles like `promise`, or rejects with `onAbort()` as soon as `signal`
 * aborts, whichever comes first. Without a signal it is `promise` itself, so
 * a call that gave no signal pays for no listener.
 *
 * @example
 * const token = await untilAborted(sharedLogin, request.signal, () => new FlatpeakError({ kind: "aborted", method, url }));
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(noop);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener("abort", abort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * Waits `ms`, or rejects with `onAbort()` as soon as `signal` aborts.
 *
 * @example
 * await sleep(500, request.signal, () => new FlatpeakError({ kind: "aborted", method, url }));
 */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return untilAborted(waited, signal, onAbort).finally(() => clearTimeout(timer));
}

/**
 * Makes `controller` abort, with the same reason, when `signal` does; returns
 * what stops that link. Without a signal there is nothing to link.
 *
 * @example
 * const unlink = follow(call.signal, attemptController);
 * try { await fetch(request, { signal: attemptController.signal }); } finally { unlink(); }
 */
export function follow(signal: AbortSignal | undefined, controller: AbortController): () => void {
  const abort = () => controller.abort(signal?.reason);
  if (signal?.aborted) abort();
  signal?.addEventListener("abort", abort);
  return () => signal?.removeEventListener("abort", abort);
}

function noop(): void {}
