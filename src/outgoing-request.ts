/**
 * A `Request` that remembers what it was made from: the body as given (so
 * every attempt can send it again without reading it back) and the caller's
 * own `signal`, if any (so a call without one pays for no abort listener).
 * The client hands this class to openapi-fetch as its `Request`.
 *
 * @example
 * const request = new OutgoingRequest("https://api.flatpeak.com/meters/interval", { method: "PUT", body: "[]" });
 * request.source; // "[]"
 */
export class OutgoingRequest extends Request {
  /** The body as given, reusable for every attempt; `null` without a body. */
  readonly source: BodyInit | null;
  /** The caller's signal; `undefined` when the caller gave none. */
  readonly callerSignal: AbortSignal | undefined;

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this.source = init?.body ?? null;
    this.callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
  }
}

/**
 * `request` as an {@link OutgoingRequest}. A plain `Request` (one a middleware
 * made, say) has its body read once, so that it too can be sent again.
 *
 * @example
 * const outgoing = await toOutgoing(new Request("https://api.flatpeak.com/customers"));
 */
export async function toOutgoing(request: Request): Promise<OutgoingRequest> {
  if (request instanceof OutgoingRequest && !(request.source instanceof ReadableStream)) return request;
  if (request.body === null) return new OutgoingRequest(request);
  return new OutgoingRequest(request, { body: await request.arrayBuffer() });
}
