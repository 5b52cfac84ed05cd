import type { OutgoingRequest } from "../http/outgoing-request.js";
import type { CallNote } from "./notes.js";

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
 * One API call on its way through the steps: what it is, as the caller asked
 * for it, and what the steps learn about it as it goes. The one object every
 * step reads; a step that needs per-call state finds it here instead of in
 * another parameter.
 *
 * @example
 * const call: Call = { method: "POST", operation: "POST /prices/{id}", deadlineMs: 5_000, deadlineAt: Infinity, apiVersion: FLATPEAK_API_VERSION };
 */
export interface Call {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** Method and path template, e.g. `POST /prices/{id}`: never the filled-in path. */
  readonly operation: string;
  /** The `fetch` of this call; `undefined`: the client's. */
  readonly fetch?: FetchLike | undefined;
  /** `retry` of this call: `false` never retries, `true` retries even a POST the spec does not mark; `undefined`: the spec decides. */
  readonly retry?: boolean | undefined;
  /** `deadlineMs` of this call, as given (the deadline step checks it); `undefined`: the client's. */
  readonly deadlineMs?: unknown;
  /** What aborts the call: the caller's signal and, with a deadline, the deadline's. */
  signal?: AbortSignal | undefined;
  /** When the deadline runs out, on `performance.now()`; `Infinity` without one. */
  deadlineAt: number;
  /** The `Flatpeak-Version` the call sends: the client's, until the request shows its own. */
  apiVersion: string;
  /** Told of each attempt and re-login, when a plugin observes the call. */
  note?: ((note: CallNote) => void) | undefined;
}

/**
 * One step of the per-call path, with one shape: it gets the request and the
 * call, and sends the request on with `next` (once, several times, or not at
 * all).
 *
 * @example
 * const versioned: Step = (request, call, next) => {
 *   request.headers.set("Flatpeak-Version", FLATPEAK_API_VERSION);
 *   return next(request, call);
 * };
 */
export type Step = (request: OutgoingRequest, call: Call, next: Send) => Promise<Response>;

/**
 * What sends a request of a call on: the rest of the steps.
 *
 * @example
 * const response = await send(request, call);
 */
export type Send = (request: OutgoingRequest, call: Call) => Promise<Response>;

/**
 * The steps as one `Send`, composed once: they run in the order given (the
 * first runs first) and `last` answers; a step left out (`undefined`) costs
 * nothing.
 *
 * @example
 * const send = chain([deadline, authorize, retry], attempt);
 * const response = await send(request, call);
 */
export function chain(steps: ReadonlyArray<Step | undefined>, last: Send): Send {
  return steps.reduceRight<Send>((next, step) => (step === undefined ? next : (request, call) => step(request, call, next)), last);
}
