import { readCapped } from "./capped-body.js";
import { FlatpeakWebhookError } from "./errors.js";

/**
 * Where verification gets the public key of a `kid`. `key` rejects with a
 * {@link FlatpeakWebhookError} of reason `unknown_key` or `keys_unavailable`.
 *
 * @example
 * const key = await keys.key("wsk_live_3f69b1");
 */
export interface SigningKeys {
  key(kid: string): Promise<VerificationKey>;
}

/**
 * A public key Web Crypto imported for verifying, written without the DOM
 * library's `CryptoKey`, so that a Node-only project compiles.
 *
 * @example
 * const key: VerificationKey = await keys.key("wsk_live_3f69b1");
 */
export type VerificationKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/**
 * One public key as a JSON Web Key: as `GET /jwks.json` answers it, as the
 * test signer gives it, or as Web Crypto exports one.
 *
 * @example
 * const key: WebhookJsonWebKey = { kty: "RSA", kid: "wsk_test_1", n: "…", e: "AQAB", alg: "PS256", use: "sig" };
 */
export interface WebhookJsonWebKey {
  kty?: string | undefined;
  kid?: string | undefined;
  use?: string | undefined;
  alg?: string | undefined;
  key_ops?: readonly string[] | undefined;
  n?: string | undefined;
  e?: string | undefined;
}

/**
 * Keys as a JSON Web Key Set, or its `keys` array.
 *
 * @example
 * const input: JsonWebKeys = { keys: [{ kty: "RSA", kid: "wsk_test_1", n: "…", e: "AQAB" }] };
 */
export type JsonWebKeys = { readonly keys: readonly WebhookJsonWebKey[] } | readonly WebhookJsonWebKey[];

/**
 * How {@link remoteKeys} fetches and caches the JWKS.
 *
 * @example
 * const options: RemoteKeysOptions = { jwksUrl: "https://api.flatpeak.com/jwks.json", fetch: globalThis.fetch, timeoutMs: 10_000, cooldownMs: 30_000 };
 */
export interface RemoteKeysOptions {
  jwksUrl: string;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** Time allowed for one JWKS request. */
  timeoutMs: number;
  /** Least time between two fetches caused by unknown key ids. */
  cooldownMs: number;
}

const DEFAULT_MAX_AGE_MS = 10 * 60_000;
const ALGORITHM = { name: "RSA-PSS", hash: "SHA-256" } as const;
/** The largest key set read: Flatpeak's holds a few keys of under 1 kB each. */
const MAX_JWKS_BYTES = 64 * 1024;
/** The smallest RSA modulus trusted, as NIST SP 800-131A and jose require. */
const MIN_MODULUS_BITS = 2048;

/**
 * Keys given up front; nothing is fetched.
 *
 * @example
 * const keys = staticKeys(signer.jwks);
 */
export function staticKeys(input: JsonWebKeys): SigningKeys {
  const keys = importAll(input);
  return {
    async key(kid) {
      const key = (await keys).get(kid);
      if (!key) throw unknownKey(kid);
      return key;
    },
  };
}

/**
 * Keys from a JWKS URL: fetched once for any number of concurrent
 * verifications, kept for the `Cache-Control: max-age` the answer gives
 * (10 minutes without one), and kept when a refetch fails. After the first
 * fetch, neither an expired set nor an unknown key id causes more than one
 * fetch per cooldown, so forged key ids cannot hammer the endpoint.
 *
 * @example
 * const keys = remoteKeys({ jwksUrl: "https://api.flatpeak.com/jwks.json", fetch: globalThis.fetch, timeoutMs: 10_000, cooldownMs: 30_000 });
 */
export function remoteKeys(options: RemoteKeysOptions): SigningKeys {
  let cached: { keys: Map<unknown, VerificationKey | null>; expiresAt: number } | undefined;
  let pending: Promise<void> | undefined;
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  let lastError: unknown;

  function refresh(): Promise<void> {
    pending ??= fetchKeys(options)
      .then(
        (fresh) => {
          cached = fresh;
        },
        (error: unknown) => {
          lastError = error;
        },
      )
      .finally(() => {
        lastFetchAt = performance.now();
        pending = undefined;
      });
    return pending;
  }

  function needsFetch(kid: string): boolean {
    return !cached || performance.now() >= cached.expiresAt || !cached.keys.get(kid);
  }

  return {
    async key(kid) {
      if (needsFetch(kid) && performance.now() - lastFetchAt >= options.cooldownMs) await refresh();
      if (!cached) throw new FlatpeakWebhookError("keys_unavailable", `The webhook signing keys could not be fetched from ${options.jwksUrl}.`, { cause: lastError });
      const key = cached.keys.get(kid);
      if (!key) throw unknownKey(kid);
      return key;
    },
  };
}

/**
 * One JWKS request, as strictly as jose's remote key sets: no redirect is
 * followed, only a 200 answer from the JWKS URL's own origin counts, and at
 * most {@link MAX_JWKS_BYTES} of it are read, within the timeout.
 */
async function fetchKeys({ jwksUrl, fetch, timeoutMs }: RemoteKeysOptions): Promise<{ keys: Map<unknown, VerificationKey | null>; expiresAt: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(jwksUrl, { signal: controller.signal, headers: { Accept: "application/json" }, redirect: "manual" });
    if (response.status !== 200 || response.redirected || (response.url !== "" && new URL(response.url).origin !== new URL(jwksUrl).origin)) {
      response.body?.cancel().catch(() => undefined);
      throw new Error(`${jwksUrl} answered ${response.status || response.type}${response.status >= 300 && response.status < 400 ? " (a redirect, which is never followed)" : ""}, not 200 with the key set`);
    }
    const body = parseJson(await readCapped(response.body, response.headers.get("content-length"), MAX_JWKS_BYTES, "the key set's limit"), jwksUrl);
    if (!isKeySet(body)) throw new Error(`${jwksUrl} did not answer a JSON Web Key Set`);
    return { keys: await importAll(body), expiresAt: performance.now() + maxAgeMs(response.headers.get("cache-control")) };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(bytes: Uint8Array, jwksUrl: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`${jwksUrl} answered 200 with a body that is not JSON`);
  }
}

function isKeySet(value: unknown): value is { keys: WebhookJsonWebKey[] } {
  return Array.isArray((value as { keys?: unknown } | null)?.keys);
}

function maxAgeMs(cacheControl: string | null): number {
  // Stryker disable next-line StringLiteral: no Cache-Control and any text without max-age both give the default
  const match = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl ?? "");
  return match?.[1] === undefined ? DEFAULT_MAX_AGE_MS : Number(match[1]) * 1000;
}

/**
 * The keys of a set that Flatpeak's signatures may be checked with, by
 * `kid`: RSA keys of at least 2,048 bits whose `alg`, when given, is
 * `PS256`. Web Crypto's import itself refuses a key whose `kty` is not RSA,
 * whose `use` is not `sig` or whose `key_ops` lack `verify`; every key
 * refused either way is skipped (its `kid` finds nothing).
 */
async function importAll(input: JsonWebKeys): Promise<Map<unknown, VerificationKey | null>> {
  const list: readonly WebhookJsonWebKey[] = isKeySet(input) ? input.keys : (input as readonly WebhookJsonWebKey[]);
  return new Map(await Promise.all(list.map(async (jwk) => [(jwk as { kid?: unknown }).kid, await verificationKey(jwk)] as const)));
}

async function verificationKey(jwk: WebhookJsonWebKey): Promise<VerificationKey | null> {
  if (jwk.alg !== undefined && jwk.alg !== "PS256") return null;
  // Stryker disable next-line BooleanLiteral: a public key verifies the same whether or not it could be exported
  const key = await crypto.subtle.importKey("jwk", jwk as JsonWebKey, ALGORITHM, false, ["verify"]).catch(() => null);
  return key === null || (key.algorithm as RsaHashedKeyAlgorithm).modulusLength < MIN_MODULUS_BITS ? null : key;
}

function unknownKey(kid: string): FlatpeakWebhookError {
  return new FlatpeakWebhookError("unknown_key", `No webhook signing key has the id "${kid.slice(0, 64)}" given in Flatpeak-Key-ID.`);
}
