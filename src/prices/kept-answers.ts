import type { PriceEntry } from "./price-entry.js";
import type { SharedRecord } from "./shared-answers.js";

/**
 * An answer kept in this process: the entry, the store's record it came
 * from or was written as (what a refresh writes over), and when the store
 * was last asked for a newer one (`performance.now()`).
 *
 * @example
 * const kept: KeptAnswer = { entry, record: undefined, lookedAt: performance.now() };
 */
export interface KeptAnswer {
  entry: PriceEntry;
  record: SharedRecord | undefined;
  lookedAt: number;
}

/**
 * The answers this process keeps, at most `maxEntries` (the least recently
 * used goes first), and what it forgot: a version counted up at each
 * invalidation, so that a request or read that started before one can tell.
 *
 * @example
 * const kept = keptAnswers(1_000);
 * const version = kept.version();
 * kept.forget(["loc_1"], (locationId) => [`flatpeak:prices:${locationId}:IMPORT`]);
 * kept.forgottenSince("loc_1", version); // true
 */
export function keptAnswers(maxEntries: number): KeptAnswers {
  const answers = new Map<string, { locationId: string; answer: KeptAnswer }>();
  const forgottenAt = new Map<string, number>();
  let version = 0;
  let allForgottenAt = 0;
  return {
    get(key) {
      const held = answers.get(key);
      if (held === undefined) return undefined;
      answers.delete(key);
      answers.set(key, held);
      return held.answer;
    },
    set(key, locationId, answer) {
      answers.delete(key);
      answers.set(key, { locationId, answer });
      if (answers.size > maxEntries) answers.delete(answers.keys().next().value as string);
    },
    forget(changed) {
      version++;
      if (changed === "all") allForgottenAt = version;
      else for (const locationId of changed) forgottenAt.set(locationId, version);
      for (const [key, { locationId }] of answers) if (changed === "all" || changed.includes(locationId)) answers.delete(key);
    },
    version: () => version,
    forgottenSince: (locationId, since) => allForgottenAt > since || (forgottenAt.get(locationId) ?? 0) > since,
  };
}

/**
 * The answers a price cache keeps in its process.
 *
 * @example
 * const kept: KeptAnswers = keptAnswers(1_000);
 */
export interface KeptAnswers {
  /** The answer at `key`, now the most recently used. */
  get(key: string): KeptAnswer | undefined;
  set(key: string, locationId: string, answer: KeptAnswer): void;
  /** Forgets every answer of the locations (`all`: every answer). */
  forget(changed: readonly string[] | "all"): void;
  /** Counted up at each {@link forget}. */
  version(): number;
  /** Whether the answers of `locationId` were forgotten after `since` (a {@link version}). */
  forgottenSince(locationId: string, since: number): boolean;
}
