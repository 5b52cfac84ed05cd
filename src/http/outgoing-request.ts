/**
 * A `Request` that remembers the body it was made from, so every attempt can
 * send it again without reading it back.
 * The client hands this class to openapi-fetch as its `Request`; since
 * openapi-fetch checks what a middleware returns with `instanceof` this
 * class, every `Request` passes that check, and {@link isOutgoing} tells the
 * two apart.
 *
 * @example
 * const request = new OutgoingRequest("https://api.flatpeak.com/meters/interval", { method: "PUT", body: "[]" });
 * request.source; // "[]"
 */
export class OutgoingRequest extends Request {
  /** The body as given, reusable for every attempt; `null` without a body. */
  readonly source: NonNullable<RequestInit["body"]> | null;

  constructor(input: ConstructorParameters<typeof Request>[0], init?: RequestInit) {
    super(input, init);
    this.source = init?.body ?? null;
  }

  /** Any `Request` counts, so a middleware may return a plain one. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }
}

// Stryker disable all: a request taken for a plain one is rebuilt, which sends the same request, only slower
/**
 * True for a request made as an {@link OutgoingRequest}, which knows its body.
 *
 * @example
 * isOutgoing(new OutgoingRequest("https://api.flatpeak.com/customers")); // true
 */
export function isOutgoing(request: Request): request is OutgoingRequest {
  return Object.hasOwn(request, "source");
}
// Stryker restore all

/**
 * `request` as an {@link OutgoingRequest}. A plain `Request` (one a middleware
 * made, say) has its body read once, so that it too can be sent again.
 *
 * @example
 * const outgoing = await toOutgoing(new Request("https://api.flatpeak.com/customers"));
 */
export async function toOutgoing(request: Request): Promise<OutgoingRequest> {
  if (isOutgoing(request) && !(request.source instanceof ReadableStream)) return request;
  return new OutgoingRequest(request, { body: request.body === null ? null : await request.arrayBuffer() });
}
