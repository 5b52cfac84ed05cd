import type { FlatpeakStore } from "../store/store.js";
import { storeCall, type StoreAnswer } from "../store/store-call.js";
import type { StoreOperation } from "../store/store-checks.js";
import { FlatpeakWebhookError } from "./errors.js";

/**
 * What became of an event given to the router:
 * - `handled`: its handlers ran and succeeded just now;
 * - `duplicate`: it was handled before (within the retention period), so nothing ran;
 * - `in_progress`: another delivery of it is being handled right now (here or
 *   in another process sharing the store), so nothing ran; answer non-2xx so
 *   that Flatpeak delivers it again later.
 *
 * @example
 * const outcome: DispatchOutcome = await router.dispatch(event);
 * if (outcome === "in_progress") return new Response(null, { status: 503 });
 */
export type DispatchOutcome = "handled" | "duplicate" | "in_progress";

/**
 * How events are claimed: where, for how long a claim holds unless it is
 * renewed, and for how long a handled id is remembered.
 *
 * @example
 * const claims: ClaimSettings = { store: createMemoryStore(), leaseMs: 60_000, retentionMs: 7 * 24 * 3_600_000 };
 */
export interface ClaimSettings {
  store: FlatpeakStore;
  leaseMs: number;
  retentionMs: number;
}

/**
 * One handling of a claimed event: what the handlers are given to learn that
 * the claim was lost, and what reports what the store did meanwhile.
 *
 * @example
 * const outcome = await handleOnce(claims, event.id, (signal) => runHandlers(event, signal), { onStoreError: console.error, signal: deadline });
 */
export interface ClaimHandling {
  /** Told of what the store failed to do once the handlers ran, and of a claim that was lost (reason `lease_lost`). */
  onStoreError: (error: FlatpeakWebhookError) => void;
  /** Bounds the waits for the store (the delivery's deadline); what is still under way then goes on, and is reported. */
  signal?: AbortSignal | undefined;
}

const DONE = "done";

/**
 * Runs `handle` for the event `id` once across every process that shares
 * the store: claim → renew → complete / release. It claims the id with a
 * lease (`set` only if absent) before `handle` runs; renews the lease every
 * third of `leaseMs` while `handle` runs; marks the id done, for the
 * retention period, once `handle` succeeded; and releases the claim when
 * `handle` fails, so that a redelivery runs it again. Renewal, done mark and
 * release each write only while the store still holds this claim
 * (`setIfEquals`, `deleteIfEquals`): a process that finds its claim lost —
 * it outlived its lease, paused or cut off from the store — stops renewing,
 * aborts the signal given to `handle`, writes nothing, and reports
 * `lease_lost`, so that the new holder's handling stands. A claim whose
 * process died expires with its lease. Every store call is bounded by a
 * third of the lease and by `signal`; a store that fails, or answers what
 * the contract does not allow, before `handle` ran rejects with a
 * {@link FlatpeakWebhookError} of reason `store_unavailable`; one that fails
 * afterwards is reported, since the event itself was handled (or failed) as
 * reported.
 *
 * @example
 * const outcome = await handleOnce(claims, event.id, (signal) => runHandlers(event, signal), { onStoreError: console.error });
 */
export async function handleOnce(claims: ClaimSettings, id: string, handle: (signal: AbortSignal) => Promise<void>, handling: ClaimHandling): Promise<DispatchOutcome> {
  const key = `flatpeak:event:${id}`;
  const claim = `claimed:${crypto.randomUUID()}`;
  const call = <O extends StoreOperation>(operation: O, ...args: Parameters<NonNullable<FlatpeakStore[O]>>) => storeCall(claims.store, operation, args, callBound(claims));
  const held = await claimed(key, claim, claims.leaseMs, (operation, ...args) => storeCall(claims.store, operation, args, callBound(claims), handling.signal));
  if (held !== undefined) return held;
  const lease = renewedLease(claims, key, claim, () => handling.onStoreError(lostClaim(id)), (cause) => handling.onStoreError(unavailable(`the claim on event ${id} could not be renewed`, cause)));
  try {
    await handle(lease.signal);
  } catch (error) {
    if (lease.stop()) await afterwards(handling, call("deleteIfEquals", key, claim), `the claim on event ${id} could not be released, so a redelivery waits for its lease to expire`, id);
    throw error;
  }
  if (lease.stop()) await afterwards(handling, call("setIfEquals", key, claim, DONE, { ttlMs: claims.retentionMs }), `event ${id} was handled, but the store did not record it; its claim holds until the lease expires`, id);
  return "handled";
}

type Call = <O extends StoreOperation>(operation: O, ...args: Parameters<NonNullable<FlatpeakStore[O]>>) => Promise<StoreAnswer<O>>;

/** `undefined` when this process now holds the claim; otherwise why nothing may run. Tries once more when a claim expired between the two reads. */
async function claimed(key: string, claim: string, leaseMs: number, call: Call): Promise<Exclude<DispatchOutcome, "handled"> | undefined> {
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await call("set", key, claim, { ttlMs: leaseMs, onlyIfAbsent: true })) return undefined;
      const value = await call("get", key);
      if (value !== undefined) return value === DONE ? "duplicate" : "in_progress";
    }
    return "in_progress";
  } catch (cause) {
    throw unavailable("the event store could not be reached, so the delivery cannot be checked for duplicates", cause);
  }
}

/** A store call after the handlers: waited for until the delivery's deadline, its failure or `false` (the claim is no longer ours) reported. */
async function afterwards(handling: ClaimHandling, written: Promise<boolean>, problem: string, id: string): Promise<void> {
  const outcome = written.then(
    (wrote) => void (wrote || handling.onStoreError(lostClaim(id))),
    (cause: unknown) => handling.onStoreError(unavailable(problem, cause)),
  );
  await Promise.race([outcome, aborted(handling.signal)]);
}

interface Lease {
  signal: AbortSignal;
  /** Stops renewing; true while the claim may still be this process's, so that a fenced write is worth trying. */
  stop(): boolean;
}

/**
 * Renews the claim every third of the lease while the handlers run. A
 * renewal the store refuses (the key holds another value, or none), or a
 * whole lease since the last renewal the store confirmed, means the claim is
 * lost: from then on nothing is renewed or written.
 */
function renewedLease({ store, leaseMs }: ClaimSettings, key: string, claim: string, onLost: () => void, onFailure: (cause: unknown) => void): Lease {
  const controller = new AbortController();
  const everyMs = callBound({ leaseMs });
  let running = true;
  let renewal: ReturnType<typeof setTimeout> | undefined;
  let lapse: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(renewal);
    clearTimeout(lapse);
    const held = running;
    running = false;
    return held;
  };
  const lose = () => {
    stop();
    controller.abort(new FlatpeakWebhookError("lease_lost", "Webhook delivery: the claim was lost while the handlers ran."));
    onLost();
  };
  const lapsesIn = (ms: number) => {
    clearTimeout(lapse);
    lapse = setTimeout(lose, ms);
  };
  const renew = async () => {
    const sentAt = performance.now();
    const renewed = await storeCall(store, "setIfEquals", [key, claim, claim, { ttlMs: leaseMs }], everyMs).catch((cause: unknown) => void onFailure(cause));
    if (!running) return;
    if (renewed === false) return lose();
    if (renewed === true) lapsesIn(sentAt + leaseMs - performance.now());
    renewal = setTimeout(renew, everyMs);
  };
  lapsesIn(leaseMs);
  renewal = setTimeout(renew, everyMs);
  return { signal: controller.signal, stop };
}

/** How long one store call of the claims may take: a third of the lease, so that a renewal still lands in time. */
function callBound({ leaseMs }: Pick<ClaimSettings, "leaseMs">): number {
  return Math.max(1, Math.floor(leaseMs / 3));
}

/** Resolves once `signal` aborts (at once when it has); never without one. */
function aborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener("abort", () => resolve(), { once: true })));
}

function lostClaim(id: string): FlatpeakWebhookError {
  return new FlatpeakWebhookError("lease_lost", `Webhook delivery: the claim on event ${id} was lost while its handlers ran (they outlived the lease, or the store could not be reached to renew it), so this process wrote nothing and the delivery that holds it now stands.`);
}

function unavailable(problem: string, cause: unknown): FlatpeakWebhookError {
  return new FlatpeakWebhookError("store_unavailable", `Webhook delivery: ${problem}.`, { cause });
}
