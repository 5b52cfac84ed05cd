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
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
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
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * The body of a Node request: what body middleware left in `req.body`, or
 * else the bytes read from the request stream.
 *
 * @example
 * const rawBody = await nodeRequestBody(req);
 */
export function nodeRequestBody(req: NodeRequestLike): Promise<unknown> {
  if (req.body !== undefined) return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("error", reject);
    req.on("end", () => resolve(joined(chunks)));
  });
}

function joined(chunks: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
