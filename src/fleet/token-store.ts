import type { LoginSource } from "../auth/token-providers.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import type { LoginFailure, LoginGrant } from "../auth/login.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { definePlugin, type FlatpeakPlugin, type LoginContext } from "../client/plugin.js";
import { storeCall, type StoreAnswer } from "../store/store-call.js";
import { checkedStore, type StoreOperation } from "../store/store-checks.js";
import type { FlatpeakStore } from "../store/store.js";
import { credentialFingerprint } from "./fingerprint.js";
import { EXPIRED, isNewer, storedTokenText, toGrant } from "./stored-token.js";

/**
 * Options of {@link tokenStore}.
 *
 * @example
 * const options: TokenStoreOptions = { waitMs: 300 };
 */
export interface TokenStoreOptions {
  /** The longest one store operation may take before the process logs in by itself; default 500 ms. */
  waitMs?: number | undefined;
  /** How long a process that logs in for the fleet holds the lock, and the others wait for its token; default 10 000 ms. */
  lockMs?: number | undefined;
}

/** Where the token of one credential is kept, and its lock. */
interface TokenKeys {
  key: string;
  lockKey: string;
}

type Action = "read" | "write" | "lock" | "delete";

const POLL_MS = 100;
const KEYS: EveryKey<TokenStoreOptions> = { waitMs: true, lockMs: true };
const FAILED: unique symbol = Symbol("failed");

/**
 * One login for a whole fleet, as a plugin for a client's `use` option: the
 * bearer token of an `accountId` + `apiKey` client is kept in `store` (the
 * store contract of `flatpeak-client/store`; `createRedisStore(redis)` for
 * processes on many machines) with its wall-clock expiry, so that a process
 * that finds a valid token there uses it instead of logging in. Exactly one
 * process logs in (a lock in the store; the others wait for its token, and a
 * renewal waits with jitter while the old token keeps serving). A token
 * Flatpeak rejects is deleted only while the store still holds that same
 * token, and this process never takes it from the store again (should the
 * delete fail). A store that fails or takes longer than `waitMs` never fails a
 * call: the process logs in by itself, and a `token_store_failed` event says
 * so; so does a stored value that is no usable token (its characters,
 * length or expiry), which is never sent. The key is
 * `flatpeak:token:{accountId}:{baseUrl}:{fingerprint}`, the fingerprint a
 * one-way hash of the API key: clients with other keys of one account (test
 * and live, an old and a rotated key) never share a token, and a key
 * Flatpeak refuses is never served one. Neither key nor value holds the API
 * key.
 *
 * @example
 * import { createClient } from "redis";
 * import { tokenStore } from "flatpeak-client/fleet";
 * import { createRedisStore } from "flatpeak-client/redis";
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).on("error", console.warn).connect();
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [tokenStore(createRedisStore(redis))] });
 */
export function tokenStore(store: FlatpeakStore, options: TokenStoreOptions = {}): FlatpeakPlugin {
  checkKeys("tokenStore", options, KEYS, { keyPrefix: "createRedisStore(redis, { keyPrefix })" });
  checkedStore("tokenStore", store, ["get", "set", "deleteIfEquals"]);
  const waitMs = wholeNumberOption("tokenStore", "waitMs", options.waitMs, 500, 1, MAX_TIMER_MS);
  const lockMs = wholeNumberOption("tokenStore", "lockMs", options.lockMs, 10_000, 1, MAX_TIMER_MS);
  return definePlugin("tokenStore", { loginSource: (login) => sharedLogin(store, login, waitMs, lockMs) });
}

function sharedLogin(store: FlatpeakStore, { accountId, apiKey, baseUrl, logIn, note }: LoginContext, waitMs: number, lockMs: number): LoginSource {
  const keys = credentialFingerprint(accountId, apiKey).then((fingerprint): TokenKeys => {
    const key = `flatpeak:token:${accountId}:${baseUrl}:${fingerprint}`;
    return { key, lockKey: `${key}:lock` };
  });
  const stored = new WeakMap<LoginGrant, string>();
  /** The last token Flatpeak rejected: never taken from the store again, should the store fail to delete it. */
  let rejectedToken: string | undefined;

  function failed(action: Action): typeof FAILED {
    note?.({ type: "token_store_failed", action });
    return FAILED;
  }

  /** One store operation, bounded by `waitMs`; {@link FAILED} (and a note) when it fails, is too slow or answers what the contract does not allow. */
  async function bounded<O extends StoreOperation>(action: Action, operation: O, args: (keys: TokenKeys) => Parameters<NonNullable<FlatpeakStore[O]>>): Promise<StoreAnswer<O> | typeof FAILED> {
    try {
      return await storeCall(store, operation, args(await keys), waitMs);
    } catch {
      return failed(action);
    }
  }

  /** The fleet's token, when the store holds one that is valid for a while yet; {@link FAILED} when the store cannot be read. */
  async function read(): Promise<LoginGrant | undefined | typeof FAILED> {
    const text = await bounded("read", "get", ({ key }) => [key]);
    if (text === FAILED || text === undefined) return text;
    const grant = toGrant(text);
    if (grant === undefined) failed("read");
    if (grant === undefined || grant === EXPIRED || grant.token === rejectedToken) return undefined;
    stored.set(grant, text);
    return grant;
  }

  async function loggedIn(): Promise<LoginGrant | LoginFailure> {
    const outcome = await logIn();
    if (!("token" in outcome)) return outcome;
    const text = storedTokenText(outcome);
    if ((await bounded("write", "set", ({ key }) => [key, text, { ttlMs: Math.max(1, Math.floor(outcome.expiresAt - performance.now())) }])) !== FAILED) stored.set(outcome, text);
    return outcome;
  }

  /** Logs in for the fleet under the lock, unless the store holds a token newer than `current` by the time the lock is ours. */
  async function logInForFleet(current: LoginGrant | undefined, owner: string): Promise<LoginGrant | LoginFailure> {
    try {
      const fresh = await read();
      return fresh !== FAILED && isNewer(fresh, current) ? fresh : await loggedIn();
    } finally {
      void bounded("delete", "deleteIfEquals", ({ lockKey }) => [lockKey, owner]);
    }
  }

  /** Takes the lock and logs in for the fleet; `undefined` when another process holds it. */
  async function underLock(current: LoginGrant | undefined): Promise<LoginGrant | LoginFailure | undefined> {
    const owner = crypto.randomUUID();
    const locked = await bounded("lock", "set", ({ lockKey }) => [lockKey, owner, { ttlMs: lockMs, onlyIfAbsent: true }]);
    if (locked === FAILED) return logIn();
    return locked ? logInForFleet(current, owner) : undefined;
  }

  /**
   * Another process holds the lock: wait for its token, without blocking a
   * renewal (the old token serves meanwhile). Without a token to serve, the
   * lock is asked for again at each look, so that a login that failed for
   * its holder (a refused key, say) leaves nobody waiting for `lockMs`.
   */
  async function waitForFleet(current: LoginGrant | undefined): Promise<LoginGrant | LoginFailure> {
    const giveUpAt = performance.now() + lockMs;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
      const fresh = await read();
      if (fresh === FAILED) return logIn();
      if (isNewer(fresh, current)) return fresh;
      if (current !== undefined && performance.now() < current.expiresAt - POLL_MS) return later(current);
      if (performance.now() >= giveUpAt) return logIn();
      const outcome = await underLock(current);
      if (outcome !== undefined) return outcome;
    }
  }

  return {
    async obtain(current) {
      const fresh = await read();
      if (fresh === FAILED) return logIn();
      if (isNewer(fresh, current)) return fresh;
      return (await underLock(current)) ?? waitForFleet(current);
    },
    discard(grant) {
      rejectedToken = grant.token;
      const text = stored.get(grant);
      if (text !== undefined) void bounded("delete", "deleteIfEquals", ({ key }) => [key, text]);
    },
  };
}

/** `current` again, with its renewal put off a moment, so that it is asked for again once the fleet's new token is in the store. */
function later(current: LoginGrant): LoginGrant {
  current.renewAt = Math.max(current.renewAt, performance.now() + POLL_MS * (1 + Math.random()));
  return current;
}
