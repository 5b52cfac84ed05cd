import type { FlatpeakStore } from "../store/store.js";
import { fleetChanges, type FleetChanges } from "./fleet-changes.js";
import { sharedAnswers, type SharedAnswers } from "./shared-answers.js";
import { storeWaits, type StoreWaits } from "./store-waits.js";

/**
 * What a price cache with a store shares with the other processes of its
 * fleet: the waits for the store, the log of invalidations, the answers.
 *
 * @example
 * const fleet: Fleet = fleetOf(store, settings, (changed) => kept.forget(changed));
 */
export interface Fleet {
  waits: StoreWaits;
  changes: FleetChanges;
  shared: SharedAnswers;
}

/** How long the store is left alone after it failed. */
const STORE_RETRY_MS = 5_000;

/**
 * The {@link Fleet} of a price cache on `store`; `onChange` forgets what
 * other processes invalidated.
 *
 * @example
 * const fleet = fleetOf(store, { storeTimeoutMs: 500, onStoreError: console.warn }, (changed) => kept.forget(changed));
 */
export function fleetOf(store: FlatpeakStore, { storeTimeoutMs, onStoreError }: { storeTimeoutMs: number; onStoreError: (error: unknown) => void }, onChange: (changed: string[] | "all") => void): Fleet {
  const waits = storeWaits(store, { timeoutMs: storeTimeoutMs, retryMs: STORE_RETRY_MS, onStoreError });
  return { waits, changes: fleetChanges(waits, onChange), shared: sharedAnswers(waits) };
}
