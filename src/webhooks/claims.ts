import type { FlatpeakStore } from "../store/store.js";
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
 * How events are claimed: where, for how long a claim holds while the
 * handlers run, and for how long a handled id is remembered.
 *
 * @example
 * const claims: ClaimSettings = { store: createMemoryStore(), leaseMs: 60_000, retentionMs: 7 * 24 * 3_600_000 };
 */
export interface ClaimSettings {
  store: FlatpeakStore;
  leaseMs: number;
  retentionMs: number;
}

const DONE = "done";

/**
 * Runs `handle` for the event `id` once across every process that shares
 * the store: claim → complete / release. It claims the id with a lease
 * (`set` only if absent) before `handle` runs; marks it done, for the
 * retention period, only after `handle` succeeded; and releases the claim
 * (`deleteIfEquals` its own claim) when `handle` fails, so that a
 * redelivery runs it again. A claim whose process died expires with its
 * lease. A store that fails before `handle` ran rejects with a
 * {@link FlatpeakWebhookError} of reason `store_unavailable`; one that fails
 * afterwards is reported to `onStoreError`, since the event itself was
 * handled (or failed) as reported.
 *
 * @example
 * const outcome = await handleOnce(claims, event.id, () => runHandlers(event), console.error);
 */
export async function handleOnce(claims: ClaimSettings, id: string, handle: () => Promise<void>, onStoreError: (error: unknown) => void): Promise<DispatchOutcome> {
  const key = `flatpeak:event:${id}`;
  const claim = `claimed:${crypto.randomUUID()}`;
  const held = await claimed(claims, key, claim);
  if (held !== undefined) return held;
  try {
    await handle();
  } catch (error) {
    await claims.store.deleteIfEquals(key, claim).catch((cause: unknown) => onStoreError(unavailable(`the claim on event ${id} could not be released, so a redelivery waits for its lease to expire`, cause)));
    throw error;
  }
  await claims.store.set(key, DONE, { ttlMs: claims.retentionMs }).catch((cause: unknown) => onStoreError(unavailable(`event ${id} was handled, but the store did not record it; its claim holds until the lease expires`, cause)));
  return "handled";
}

/** `undefined` when this process now holds the claim; otherwise why nothing may run. Tries once more when a claim expired between the two reads. */
async function claimed({ store, leaseMs }: ClaimSettings, key: string, claim: string): Promise<Exclude<DispatchOutcome, "handled"> | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await storeCall(() => store.set(key, claim, { ttlMs: leaseMs, onlyIfAbsent: true }))) return undefined;
    const value = await storeCall(() => store.get(key));
    if (value !== undefined) return value === DONE ? "duplicate" : "in_progress";
  }
  return "in_progress";
}

async function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (cause) {
    throw unavailable("the event store could not be reached, so the delivery cannot be checked for duplicates", cause);
  }
}

function unavailable(problem: string, cause: unknown): FlatpeakWebhookError {
  return new FlatpeakWebhookError("store_unavailable", `Webhook delivery: ${problem}.`, { cause });
}
