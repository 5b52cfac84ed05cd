const BYTES = Symbol("flatpeak.bytes");

type Bytes = Uint8Array<ArrayBuffer>;
type Buffered = Response & { [BYTES]?: Bytes | null };

let decoder: TextDecoder | undefined;

/**
 * Reads the whole body of `response` and answers its body methods (`json`,
 * `text`, `arrayBuffer`, `blob`, `body`, `bodyUsed`, `clone`) from memory, so the read can happen inside a timeout and a stalled or cut body
 * fails the attempt instead of the caller's later read. The response keeps
 * its status, headers and URL; bytes are kept exactly, and text is decoded
 * once, when asked for.
 *
 * @example
 * const response = await readBody(await fetch("https://api.flatpeak.com/customers"));
 * const page = await response.json();
 */
export async function readBody(response: Response): Promise<Response> {
  return withBody(response, response.body === null ? null : new Uint8Array(await response.arrayBuffer()));
}

/**
 * Makes `response` answer with `bytes` as its body (`null`: no body).
 *
 * @example
 * withBody(response, new TextEncoder().encode(JSON.stringify(errorBody)));
 */
export function withBody(response: Response, bytes: Bytes | null): Response {
  let used = false;
  let stream: ReadableStream<Uint8Array> | null | undefined;
  const unusable = () => new TypeError("The body of this response has already been read.");
  const read = <T>(convert: () => T | Promise<T>): Promise<T> => {
    if (used) return Promise.reject(unusable());
    used = true;
    return new Promise<T>((resolve) => resolve(convert()));
  };
  const text = () => (bytes === null ? "" : (decoder ??= new TextDecoder()).decode(bytes));
  const copy = () => new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  const method = (value: unknown) => ({ value, configurable: true, writable: true });
  return Object.defineProperties(response, {
    [BYTES]: { value: bytes, configurable: true },
    bodyUsed: { get: () => used, configurable: true },
    body: { get: () => (stream ??= bytes === null ? null : copy().body), configurable: true },
    text: method(() => read(text)),
    json: method(() => read(() => JSON.parse(text()) as unknown)),
    arrayBuffer: method(() => read(() => (bytes ?? new Uint8Array()).slice().buffer)),
    blob: method(() => read(() => new Blob(bytes === null ? [] : [bytes], { type: response.headers.get("content-type") ?? "" }))),
    clone: method(() => {
      if (used) throw unusable();
      return copy();
    }),
  });
}

/**
 * The body of a response made by {@link readBody} or {@link withBody}, as
 * text, whether or not it was read; `undefined` for any other response.
 *
 * @example
 * bodyText(response); // '{"object":"list",…}'
 */
export function bodyText(response: Response): string | undefined {
  const bytes = (response as Buffered)[BYTES];
  if (bytes === undefined) return undefined;
  return bytes === null ? "" : (decoder ??= new TextDecoder()).decode(bytes);
}
