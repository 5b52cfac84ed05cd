import { storedFields } from "../store/stored-fields.js";
import { parseEntry, type PriceEntry } from "./price-entry.js";
import { STORE_FAILED, type QuestionWaits, type StoreWaits } from "./store-waits.js";

/**
 * What the store holds under an answer's key, as read: its exact text (what
 * a write over it compares with) and the answer in it, if any. Every record
 * has a generation of its own, so no two are the same text.
 *
 * @example
 * const record: SharedRecord = { text: '{"gen":"…"}', entry: undefined };
 */
export interface SharedRecord {
  text: string;
  entry: PriceEntry | undefined;
}

/** How long a record of no answer lasts: a placeholder outlives any request, a tombstone any reader's last look. */
const PLACEHOLDER_MS = 5 * 60_000;
const TOMBSTONE_MS = 60_000;
/** How long a process holds the lock under which it refreshes an answer for the fleet. */
const REFRESH_LOCK_MS = 60_000;

/**
 * The answers the fleet shares through the store, one record per location
 * and direction, each write fenced: an answer is written only over the
 * record that was there before its request started (read then, or written
 * then as a placeholder), with `setIfEquals`. An invalidation replaces
 * every record by a tombstone, so that a request under way when it came, in
 * any process, can never write what it brings.
 *
 * @example
 * const shared = sharedAnswers(waits);
 * const record = await shared.read(key, waits.question());
 */
export function sharedAnswers(waits: StoreWaits) {
  const generation = () => crypto.randomUUID();
  return {
    /** The record at `key`; `undefined` for none, {@link STORE_FAILED} when the store could not say. */
    async read(key: string, question: QuestionWaits): Promise<SharedRecord | undefined | typeof STORE_FAILED> {
      const text = await question.call("get", [key]);
      if (text === STORE_FAILED || text === undefined) return text;
      return { text, entry: parseEntry(storedFields<{ entry: unknown }>(text).entry) };
    },
    /** A record of this process's own where there was none, to write the answer of a request starting now over; `undefined` when the key was taken meanwhile or the store failed. */
    async placeholder(key: string): Promise<SharedRecord | undefined> {
      if (waits.resting()) return undefined;
      const text = JSON.stringify({ gen: generation() });
      const wrote = await waits.call("set", [key, text, { ttlMs: PLACEHOLDER_MS, onlyIfAbsent: true }]).catch(() => false);
      return wrote ? { text, entry: undefined } : undefined;
    },
    /** Writes `entry` for `ttlMs` while the key still holds `basis`; the record written, or `undefined` when the key changed or the store failed. */
    async write(key: string, basis: SharedRecord, entry: PriceEntry, ttlMs: number): Promise<SharedRecord | undefined> {
      if (waits.resting()) return undefined;
      const text = JSON.stringify({ gen: generation(), entry });
      const wrote = await waits.call("setIfEquals", [key, basis.text, text, { ttlMs }]).catch(() => false);
      return wrote ? { text, entry } : undefined;
    },
    /** Replaces what the key holds by a record of no answer; rejects when the store fails. */
    async tombstone(key: string): Promise<void> {
      await waits.call("set", [key, JSON.stringify({ gen: generation() }), { ttlMs: TOMBSTONE_MS }]);
    },
    /** The lock under which this process refreshes the answer at `key` for the fleet: its owner text; `false` when another process holds it; `undefined` when the store failed. */
    async lock(key: string): Promise<string | false | undefined> {
      if (waits.resting()) return undefined;
      const owner = generation();
      const locked = await waits.call("set", [`${key}:refresh`, owner, { ttlMs: REFRESH_LOCK_MS, onlyIfAbsent: true }]).catch(() => undefined);
      return locked && owner;
    },
    unlock(key: string, owner: string): void {
      waits.call("deleteIfEquals", [`${key}:refresh`, owner]).catch(() => undefined);
    },
  };
}

/**
 * The fenced answers of a price cache.
 *
 * @example
 * const shared: SharedAnswers = sharedAnswers(waits);
 */
export type SharedAnswers = ReturnType<typeof sharedAnswers>;
