/**
 * Signed webhook deliveries for the handler tests: a test signer, a verifier
 * that trusts it, and requests built from events. Made inside each test.
 */
import { createTestWebhookSigner, type TestWebhookSigner } from "../../src/testing/index.js";
import { createWebhookVerifier, type WebhookVerifier } from "../../src/webhooks/index.js";

export interface Deliveries {
  signer: TestWebhookSigner;
  verifier: WebhookVerifier;
  /** The signed headers and body of a delivery of `event`. */
  signed(event: unknown): Promise<{ body: string; headers: Record<string, string> }>;
  /** A signed `Request` for `event`; `change` may alter its headers. */
  request(event: unknown, change?: (headers: Record<string, string>) => Record<string, string>): Promise<Request>;
}

export async function deliveries(): Promise<Deliveries> {
  const signer = await createTestWebhookSigner();
  const verifier = createWebhookVerifier({ keys: signer.jwks });
  const signed = async (event: unknown) => {
    const body = JSON.stringify(event);
    return { body, headers: await signer.sign(body) };
  };
  return {
    signer,
    verifier,
    signed,
    async request(event, change = (headers) => headers) {
      const { body, headers } = await signed(event);
      return new Request("http://localhost/webhooks", { method: "POST", body, headers: change(headers) });
    },
  };
}

/** A body stream that records how much was pulled from it, and fails the test if it is pulled when it must not be. */
export function trackedStream(chunks: Iterable<Uint8Array>, options: { endless?: boolean } = {}) {
  const pulled = { chunks: 0, bytes: 0, cancelled: false };
  const iterator = chunks[Symbol.iterator]();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = iterator.next();
      if (next.done) {
        if (options.endless) return new Promise<void>(() => undefined);
        controller.close();
        return undefined;
      }
      pulled.chunks++;
      pulled.bytes += next.value.byteLength;
      controller.enqueue(next.value);
      return undefined;
    },
    cancel() {
      pulled.cancelled = true;
    },
    // Pulled only when read, so an unread body shows as nothing pulled.
  }, { highWaterMark: 0 });
  return { stream, pulled };
}

/** Waits, a turn of the event loop at a time (so fake timers do not move), until `condition` holds. */
export async function until(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition(); turns++) {
    if (turns > 10_000) throw new Error("the condition never held");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
