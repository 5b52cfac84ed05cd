import { assertWithin, joined, tooLarge, tooSlow, unreadable } from "./capped-body.js";
import type { FlatpeakWebhookError } from "./errors.js";

type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * The parts of a Node `IncomingMessage` (and Express `Request`) a webhook
 * handler reads.
 *
 * @example
 * const req: NodeRequestLike = incomingMessage;
 */
export interface NodeRequestLike {
  headers: Record<string, string | string[] | undefined>;
  /** Set by body middleware: the bytes of `express.raw()`, or an object a JSON parser made. */
  body?: unknown;
  /** Called for each chunk of the body. */
  on(event: "data", listener: Listener<[chunk: Uint8Array]>): unknown;
  /** Called when the body has ended or the connection closed. */
  on(event: "end" | "close", listener: Listener<[]>): unknown;
  /** Called when reading the body failed. */
  on(event: "error", listener: Listener<[error: Error]>): unknown;
  /** Stops calling a listener given to `on`. */
  removeListener(event: "data" | "end" | "close" | "error", listener: Listener<[chunk: Uint8Array]> | Listener<[]> | Listener<[error: Error]>): unknown;
  /** Stops the body arriving, once the answer no longer depends on it. */
  pause?(): unknown;
}

/**
 * The parts of a Node `ServerResponse` (and Express `Response`) a webhook
 * handler writes.
 *
 * @example
 * const res: NodeResponseLike = serverResponse;
 */
export interface NodeResponseLike {
  statusCode: number;
  /** True once an answer has started (e.g. a middleware answered already). */
  headersSent?: boolean | undefined;
  /** Sets one header of the answer. */
  setHeader(name: string, value: string): unknown;
  /** Sends the answer with its body. */
  end(body?: string): unknown;
}

/**
 * The body of a Node request: what body middleware left in `req.body` (its
 * length checked), or else at most `maxBytes` read from the request stream.
 * Rejects with a {@link FlatpeakWebhookError}: `body_too_large` (from the
 * declared `Content-Length` or while reading), `body_unreadable` when the
 * stream fails or the sender goes away before the end, `body_timeout` when
 * `signal` aborts. It stops listening on every way out.
 *
 * @example
 * const rawBody = await nodeRequestBody(req, 1_048_576, deadline.signal);
 */
export async function nodeRequestBody(req: NodeRequestLike, maxBytes: number, signal: AbortSignal): Promise<unknown> {
  if (req.body !== undefined) {
    if (req.body instanceof Uint8Array || typeof req.body === "string") assertWithin(req.body.length, maxBytes, "maxBodyBytes");
    return req.body;
  }
  assertWithin(Number(req.headers["content-length"] ?? 0), maxBytes, "maxBodyBytes");
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let length = 0;
    const stop = () => {
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", onError);
      req.removeListener("close", onClose);
      signal.removeEventListener("abort", onAbort);
    };
    const fail = (error: FlatpeakWebhookError) => {
      stop();
      req.pause?.();
      reject(error);
    };
    const onData = (chunk: Uint8Array) => {
      length += chunk.length;
      if (length > maxBytes) return fail(tooLarge(maxBytes, "maxBodyBytes"));
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(joined(chunks, length));
    };
    const onError = (error: Error) => fail(unreadable(error));
    const onClose = () => fail(unreadable());
    const onAbort = () => fail(tooSlow());
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
    signal.addEventListener("abort", onAbort);
  });
}
