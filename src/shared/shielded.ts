/**
 * `hook` (an event hook, an `onError`), made unable to throw into its caller,
 * or to leave a rejection unhandled when it returns a promise; nothing waits
 * for it.
 *
 * @example
 * const notify = shielded((event) => JSON.stringify(event)); // never throws
 */
export function shielded<T>(hook: ((value: T) => unknown) | undefined): ((value: T) => void) | undefined {
  return (
    hook &&
    ((value) => {
      try {
        const result = hook(value) as { then?: unknown } | undefined;
        // Stryker disable next-line ConditionalExpression,OptionalChaining: equivalent inside this try: calling a `then` that is missing or no function throws, and the throw is caught like the hook's own
        if (typeof result?.then === "function") (result as PromiseLike<unknown>).then(undefined, ignore);
      } catch {
        // A broken hook must not turn an outcome into a failure.
      }
    })
  );
}

function ignore(): void {}
