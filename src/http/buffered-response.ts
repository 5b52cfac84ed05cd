const STATE = Symbol("flatpeak.body");

type Bytes = Uint8Array<ArrayBuffer>;
interface BodyState {
  bytes: Bytes | null;
  used: boolean;
  stream: ReadableStream<Uint8Array> | null | undefined;
}
type Buffered = Response & { [STATE]: BodyState };

let decoder: TextDecoder | undefined;

/**
 * The body methods of every buffered response, as a prototype: each reads the
 * response's own state, so buffering a response only swaps its prototype.
 */
class BufferedResponse extends Response {
  declare [STATE]: BodyState;

  override get bodyUsed(): boolean {
    return this[STATE].used;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const state = this[STATE];
    return (state.stream ??= copyOf(this).body) as ReadableStream<Uint8Array<ArrayBuffer>> | null;
  }

  override text(): Promise<string> {
    return read(this, decode);
  }

  override json(): Promise<unknown> {
    return read(this, (bytes) => JSON.parse(decode(bytes)) as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return read(this, () => copyOf(this).arrayBuffer());
  }

  override blob(): Promise<Blob> {
    return read(this, () => copyOf(this).blob());
  }

  override clone(): Response {
    if (this[STATE].used) throw unusable();
    return copyOf(this);
  }
}

/**
 * Reads the whole body of `response` and answers its body methods (`json`,
 * `text`, `arrayBuffer`, `blob`, `body`, `bodyUsed`, `clone`) from memory,
 * so the read can happen inside a timeout and a stalled or cut body fails the
 * attempt instead of the caller's later read. The response keeps its status,
 * headers and URL; bytes are kept exactly, and text is decoded once, when
 * asked for.
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
  Object.setPrototypeOf(response, BufferedResponse.prototype);
  (response as Buffered)[STATE] = { bytes, used: false, stream: undefined };
  return response;
}

/**
 * The body of a response made by {@link readBody} or {@link withBody}, as
 * text, whether or not it was read; `undefined` for any other response.
 *
 * @example
 * bodyText(response); // '{"object":"list",…}'
 */
export function bodyText(response: Response): string | undefined {
  const state = (response as Partial<Buffered>)[STATE];
  return state === undefined ? undefined : decode(state.bytes);
}

function read<T>(response: Buffered, convert: (bytes: Bytes | null) => T | Promise<T>): Promise<T> {
  const state = response[STATE];
  if (state.used) return Promise.reject(unusable());
  state.used = true;
  return new Promise<T>((resolve) => resolve(convert(state.bytes)));
}

function decode(bytes: Bytes | null): string {
  return bytes === null ? "" : (decoder ??= new TextDecoder()).decode(bytes);
}

function copyOf(response: Buffered): Response {
  return new Response(response[STATE].bytes, response);
}

function unusable(): TypeError {
  return new TypeError("Body already read.");
}
