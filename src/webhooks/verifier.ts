import { FlatpeakWebhookError } from "./errors.js";
import { belongsIn, checkKeys, type EveryKey } from "../shared/known-keys.js";
import { parseEvent, type FlatpeakEvent } from "./events.js";
import { headerValue, type WebhookHeaders } from "./headers.js";
import { missing, readTimestamp, v1Signatures } from "./signature-headers.js";
import { SIGNATURE_PARAMS, signedContent } from "./signed-content.js";
import { remoteKeys, staticKeys, type JsonWebKeys, type SigningKeys, type VerificationKey } from "./signing-keys.js";

/**
 * Options of {@link createWebhookVerifier}.
 *
 * @example
 * const options: WebhookVerifierOptions = { toleranceSeconds: 300 };
 */
export interface WebhookVerifierOptions {
  /** Where the signing keys are; default `https://api.flatpeak.com/jwks.json`. */
  jwksUrl?: string | undefined;
  /** Keys to use instead of fetching them (tests, air-gapped setups). */
  keys?: JsonWebKeys | undefined;
  /** How far a timestamp may be from now, either way; default 300 s. */
  toleranceSeconds?: number | undefined;
  /** The fetch used for the JWKS; default the global `fetch`. */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Accept deliveries sent with `Flatpeak-Signature: none`; never do so in production. Default false. */
  allowUnsigned?: boolean | undefined;
  /** Time allowed for one JWKS request; default 10 000 ms. */
  jwksTimeoutMs?: number | undefined;
  /** Least time between two JWKS fetches caused by unknown key ids; default 30 000 ms. */
  jwksCooldownMs?: number | undefined;
}

/**
 * A delivery whose headers checked out; its body is verified next.
 *
 * @example
 * const delivery = await verifier.checkHeaders(request.headers);
 * const event = await delivery.verifyBody(await request.arrayBuffer());
 */
export interface SignedDelivery {
  /** Resolves with the event when a signature matches the exact bytes received; rejects with a {@link FlatpeakWebhookError} otherwise. */
  verifyBody(rawBody: string | Uint8Array | ArrayBuffer): Promise<FlatpeakEvent>;
}

/**
 * Verifies webhook deliveries.
 *
 * @example
 * const event = await verifier.verify(await request.text(), request.headers);
 */
export interface WebhookVerifier {
  /**
   * Resolves with the event of a delivery whose signature, timestamp and key
   * check out; rejects with a {@link FlatpeakWebhookError} otherwise. Pass the
   * body exactly as received: a string, `Uint8Array` or `ArrayBuffer`.
   */
  verify(rawBody: string | Uint8Array | ArrayBuffer, headers: WebhookHeaders): Promise<FlatpeakEvent>;
  /**
   * The checks that need no body, so that a forged or stale delivery is
   * refused before its body is read: the signature headers are present and
   * well-formed (at most four `v1=` signatures), the timestamp is within the
   * tolerance and the key id names a usable key. Resolves with the
   * {@link SignedDelivery} to verify the body with.
   */
  checkHeaders(headers: WebhookHeaders): Promise<SignedDelivery>;
}

const DEFAULT_JWKS_URL = "https://api.flatpeak.com/jwks.json";
const KEYS: EveryKey<WebhookVerifierOptions> = { jwksUrl: true, keys: true, toleranceSeconds: true, fetch: true, allowUnsigned: true, jwksTimeoutMs: true, jwksCooldownMs: true };
const ELSEWHERE = belongsIn("createWebhookHandler", ["maxBodyBytes", "deadlineMs", "onError"]);
const RAW_BODY_HELP =
  "Pass the raw body exactly as received, as a string, Uint8Array or ArrayBuffer, not a parsed object. " +
  "Express: app.post(path, express.raw({ type: 'application/json' }), handler.node), registered before any app-wide app.use(express.json()): " +
  "a JSON parser mounted for the whole app reads the body first, and express.raw() then finds nothing left to read. " +
  "Next.js route handler: await request.text(). Hono: await c.req.text().";

/**
 * Creates a verifier of Flatpeak's webhook signatures (scheme `v1`: RSA-PSS
 * with SHA-256 over `{Flatpeak-Timestamp}.{raw body}`, keys from the JWKS by
 * `Flatpeak-Key-ID`). Web Crypto only, so it runs on Node, Deno, Bun, workers
 * and edge runtimes.
 *
 * @example
 * import { createWebhookVerifier } from "flatpeak-client/webhooks";
 *
 * const verifier = createWebhookVerifier();
 * const event = await verifier.verify(await request.text(), request.headers);
 */
export function createWebhookVerifier(options: WebhookVerifierOptions = {}): WebhookVerifier {
  checkKeys("createWebhookVerifier", options, KEYS, ELSEWHERE);
  const toleranceMs = checkedNumber("toleranceSeconds", options.toleranceSeconds, 300) * 1000;
  const keys = signingKeys(options);
  const checkHeaders = async (headers: WebhookHeaders): Promise<SignedDelivery> => {
    const signature = headerValue(headers, "Flatpeak-Signature")?.trim();
    if (!signature) throw missing("Flatpeak-Signature");
    if (signature.toLowerCase() === "none") return unsignedDelivery(options.allowUnsigned === true);
    const timestamp = readTimestamp(headers, toleranceMs);
    const kid = headerValue(headers, "Flatpeak-Key-ID")?.trim();
    if (!kid) throw missing("Flatpeak-Key-ID");
    const signatures = v1Signatures(headers, signature);
    const key = await keys.key(kid);
    return { verifyBody: async (rawBody) => verifiedEvent(key, signatures, timestamp, bodyBytes(rawBody)) };
  };
  return {
    checkHeaders,
    async verify(rawBody, headers) {
      const body = bodyBytes(rawBody);
      return (await checkHeaders(headers)).verifyBody(body);
    },
  };
}

function signingKeys(options: WebhookVerifierOptions): SigningKeys {
  if (options.keys !== undefined) {
    if (options.jwksUrl !== undefined) throw new TypeError("createWebhookVerifier: pass either keys (a key set to use as it is) or jwksUrl (where to fetch one), not both.");
    return staticKeys(options.keys);
  }
  const fetch = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));
  return remoteKeys({
    jwksUrl: checkedJwksUrl(options.jwksUrl ?? DEFAULT_JWKS_URL),
    fetch,
    timeoutMs: checkedNumber("jwksTimeoutMs", options.jwksTimeoutMs, 10_000),
    cooldownMs: checkedNumber("jwksCooldownMs", options.jwksCooldownMs, 30_000),
  });
}

/** An absolute `https:` URL; `http:` only on this machine (tests), since the keys decide which deliveries are trusted. */
function checkedJwksUrl(value: unknown): string {
  const url = parsedUrl(value);
  if (url === null || !(url.protocol === "https:" || (url.protocol === "http:" && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)))) {
    throw new TypeError(`createWebhookVerifier: jwksUrl must be an absolute https: URL such as "${DEFAULT_JWKS_URL}" (http: only for localhost), got ${typeof value === "string" ? JSON.stringify(value.slice(0, 100)) : String(value)}.`);
  }
  return url.href;
}

function parsedUrl(value: unknown): URL | null {
  try {
    return new URL(value as string);
  } catch {
    return null;
  }
}

function checkedNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`createWebhookVerifier: ${name} must be a number of 0 or more, got ${String(value)}.`);
  return value;
}

function bodyBytes(rawBody: unknown): Uint8Array {
  if (typeof rawBody === "string") return new TextEncoder().encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  const given = rawBody === null ? "null" : `of type ${typeof rawBody}${typeof rawBody === "object" ? ", parsed already" : ""}`;
  throw new FlatpeakWebhookError("not_raw_body", `The webhook body is ${given}, so the bytes Flatpeak signed are lost. ${RAW_BODY_HELP}`);
}

function unsignedDelivery(allowed: boolean): SignedDelivery {
  if (!allowed) throw new FlatpeakWebhookError("unsigned", "The delivery is unsigned (Flatpeak-Signature: none). Reject it in production; pass allowUnsigned: true only while signing is unavailable to you.");
  return { verifyBody: async (rawBody) => eventOf(bodyBytes(rawBody)) };
}

function eventOf(body: Uint8Array): FlatpeakEvent {
  const event = parseEvent(new TextDecoder().decode(body));
  if (!event) throw new FlatpeakWebhookError("invalid_payload", "The signed body is not a Flatpeak event (JSON with id, object: \"event\", type and data).");
  return event;
}

/**
 * The event, when one of the signatures is the key's signature of `signed`.
 * They are checked one at a time, over the one copy of the signed bytes, and
 * only those of the key's length: the RSA work and memory of a delivery stay
 * those of a few checks, whatever it carries.
 */
async function verifiedEvent(key: VerificationKey, signatures: Uint8Array<ArrayBuffer>[], timestamp: string, body: Uint8Array): Promise<FlatpeakEvent> {
  const signed = signedContent(timestamp, body);
  const length = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength / 8;
  for (const signature of signatures) {
    if (signature.length === length && (await matches(key, signature, signed))) return eventOf(body);
  }
  throw new FlatpeakWebhookError("bad_signature", "No Flatpeak-Signature matches the body received. Pass the exact bytes of the request body, not a re-serialised copy.");
}

/** Whether `signature` is the key's signature of `signed`. */
function matches(key: VerificationKey, signature: Uint8Array<ArrayBuffer>, signed: Uint8Array<ArrayBuffer>): Promise<boolean> {
  return crypto.subtle.verify(SIGNATURE_PARAMS, key, signature, signed);
}
