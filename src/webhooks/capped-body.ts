import { FlatpeakWebhookError } from "./errors.js";

/**
 * Reads a body stream whole, but never more than `maxBytes`: a declared
 * `Content-Length` above it is refused before anything is read, and a stream
 * that grows past it is cancelled at the first chunk over, so memory stays
 * bounded whatever the sender sends; `signal` cancels the read. Rejects
 * with a {@link FlatpeakWebhookError} of reason `body_too_large`,
 * `body_unreadable` when the stream fails, or `body_timeout` when `signal`
 * aborts.
 *
 * @example
 * const bytes = await readCapped(request.body, request.headers.get("content-length"), 1_048_576, "maxBodyBytes");
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, contentLength: string | null | undefined, maxBytes: number, limitName: string, signal?: AbortSignal): Promise<Uint8Array<ArrayBuffer>> {
  assertWithin(Number(contentLength ?? 0), maxBytes, limitName);
  if (body === null) return new Uint8Array();
  const reader = body.getReader();
  const stop = () => reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", stop);
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) throw tooSlow();
      if (done) return joined(chunks, length);
      length += value.byteLength;
      assertWithin(length, maxBytes, limitName);
      chunks.push(value);
    }
  } catch (error) {
    stop();
    throw error instanceof FlatpeakWebhookError ? error : unreadable(error);
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/**
 * Throws {@link tooLarge} when `length` bytes are more than `maxBytes`.
 *
 * @example
 * assertWithin(Number(req.headers["content-length"] ?? 0), maxBodyBytes, "maxBodyBytes");
 */
export function assertWithin(length: number, maxBytes: number, limitName: string): void {
  if (length > maxBytes) throw tooLarge(maxBytes, limitName);
}

/**
 * The error of a body longer than `maxBytes`, the limit named `limitName`.
 *
 * @example
 * throw tooLarge(1_048_576, "maxBodyBytes");
 */
export function tooLarge(maxBytes: number, limitName: string): FlatpeakWebhookError {
  return new FlatpeakWebhookError("body_too_large", `The body is larger than the ${maxBytes} bytes allowed (${limitName}).`);
}

/**
 * The error of a body stream that failed, or whose sender went away.
 *
 * @example
 * req.on("error", (error) => reject(unreadable(error)));
 */
export function unreadable(cause?: unknown): FlatpeakWebhookError {
  return new FlatpeakWebhookError("body_unreadable", "The body could not be read to its end; the sender went away or the stream failed.", { cause });
}

/**
 * The error of a body that did not arrive before the deadline.
 *
 * @example
 * signal.addEventListener("abort", () => reject(tooSlow()));
 */
export function tooSlow(): FlatpeakWebhookError {
  return new FlatpeakWebhookError("body_timeout", "The body did not arrive within the handler's deadline (deadlineMs).");
}

/**
 * The chunks as one array of `length` bytes.
 *
 * @example
 * joined([new Uint8Array([1]), new Uint8Array([2, 3])], 3); // Uint8Array [1, 2, 3]
 */
export function joined(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
