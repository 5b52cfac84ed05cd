import { storedFields } from "../store/stored-fields.js";
import { STORE_FAILED, type QuestionWaits, type StoreWaits } from "./store-waits.js";

/** The fleet's log of invalidated locations, in the store. */
const LOG_KEY = "flatpeak:prices:changes";
/** How many of the latest changes the log keeps; a process that missed more forgets everything it keeps. */
const KEPT_CHANGES = 512;
const LOG_TTL_MS = 24 * 3_600_000;
/** How old this process's view of the log may be before a question reads it again. */
const LOOK_EVERY_MS = 500;
/** How old it may be for an answer kept here to count as confirmed. */
const CONFIRMED_MS = 1_000;
const APPEND_TRIES = 10;

interface Log {
  /** Who started this log: a log that changed hands (flushed, expired) means every change may have been missed. */
  epoch: string;
  seq: number;
  changes: Array<[seq: number, locationId: string]>;
}

/**
 * This process's view of the fleet's log of invalidations.
 *
 * @example
 * const changes = fleetChanges(waits, (changed) => forget(changed));
 * const confirmed = await changes.look(waits.question());
 */
export interface FleetChanges {
  /**
   * Reads the log unless this process read it since `since` (by default half
   * a second ago; one read shared by the questions asking meanwhile), telling
   * `onChange` what other processes invalidated; true when the view is at
   * most a second old. Give `since` a request's end, and what the view
   * tells holds from then on.
   */
  look(question: QuestionWaits, since?: number): Promise<boolean>;
  /** Adds an invalidation of `locationId` to the log, for every process to see; rejects when the store cannot record it. */
  record(locationId: string): Promise<void>;
}

/**
 * Creates the {@link FleetChanges} of a price cache on the store of
 * `waits`; `onChange` is told of the locations other processes invalidated
 * (`all` when this process may have missed some: the log was flushed, or
 * more changes came than it keeps).
 *
 * @example
 * const changes = fleetChanges(waits, (changed) => (changed === "all" ? kept.clear() : changed.forEach(forget)));
 */
export function fleetChanges(waits: StoreWaits, onChange: (changed: string[] | "all") => void): FleetChanges {
  let known: { epoch: string; seq: number } | undefined;
  let checkedAt = -Infinity;
  let looking: { startedAt: number; done: Promise<void> } | undefined;
  /** The changes this process wrote itself, which it already applied. */
  const own = new Set<string>();

  function learn(changed: string[] | "all"): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: the changes of a log that changed hands are never read again; forgetting them bounds memory only
    if (changed === "all") own.clear();
    onChange(changed);
  }

  function apply(log: Log | undefined): void {
    // A log started since this process last looked holds nothing it saw: its changes are all new.
    const before = known ?? (log && checkedAt > -Infinity ? { epoch: log.epoch, seq: 0 } : undefined);
    known = log && { epoch: log.epoch, seq: log.seq };
    if (before === undefined || log === undefined || log.epoch !== before.epoch) {
      if (before !== undefined) learn("all");
      return;
    }
    const fresh = log.changes.filter(([seq]) => seq > before.seq);
    if (fresh.length < log.seq - before.seq) return learn("all");
    const others = fresh.filter(([seq]) => !own.delete(`${log.epoch}:${seq}`)).map(([, locationId]) => locationId);
    if (others.length > 0) learn(others);
  }

  async function append(locationIds: string[]): Promise<void> {
    for (let tries = 1; ; tries++) {
      const text = await waits.call("get", [LOG_KEY]);
      const log = parseLog(text) ?? { epoch: crypto.randomUUID(), seq: 0, changes: [] };
      const added = locationIds.map((locationId, i): [number, string] => [log.seq + i + 1, locationId]);
      const next = JSON.stringify({ epoch: log.epoch, seq: log.seq + added.length, changes: [...log.changes, ...added].slice(-KEPT_CHANGES) } satisfies Log);
      const options = { ttlMs: LOG_TTL_MS };
      const wrote = text === undefined ? await waits.call("set", [LOG_KEY, next, { ...options, onlyIfAbsent: true }]) : await waits.call("setIfEquals", [LOG_KEY, text, next, options]);
      if (wrote) return void added.forEach(([seq]) => own.add(`${log.epoch}:${seq}`));
      if (tries === APPEND_TRIES) throw new Error(`The fleet's log of price changes was written by other processes at each of ${APPEND_TRIES} tries; the invalidation is not recorded.`);
      // Stryker disable next-line ArithmeticOperator: the jitter's size moves when the next try goes out, not what it writes
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * tries));
    }
  }

  function read(question: QuestionWaits): { startedAt: number; done: Promise<void> } {
    const startedAt = performance.now();
    const done = (async () => {
      const text = await question.call("get", [LOG_KEY]);
      if (text === STORE_FAILED) return;
      apply(parseLog(text));
      checkedAt = startedAt;
    })().finally(() => {
      looking = undefined;
    });
    return { startedAt, done };
  }

  let queued: { locationIds: Set<string>; done: Promise<void> } | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  return {
    async look(question, since = performance.now() - LOOK_EVERY_MS) {
      // A read that began before `since` may have missed what the caller must know of: wait for it, then read again.
      if (looking !== undefined && looking.startedAt < since) await looking.done;
      if (checkedAt < since) {
        looking ??= read(question);
        await looking.done;
      }
      return performance.now() - checkedAt < CONFIRMED_MS;
    },
    record(locationId) {
      // Invalidations that arrive while one is being written go in the next write, together.
      if (queued === undefined) {
        const locationIds = new Set<string>();
        const done = tail.then(() => {
          // This write starts now (each starts once the one before it ended, so it is the one queued): later invalidations go in the next.
          queued = undefined;
          return append([...locationIds]);
        });
        queued = { locationIds, done };
        tail = done.catch(() => undefined);
      }
      queued.locationIds.add(locationId);
      return queued.done;
    },
  };
}

function parseLog(text: string | undefined): Log | undefined {
  const { epoch, seq, changes } = storedFields<Log>(text);
  const wellFormed = typeof epoch === "string" && Number.isInteger(seq) && Array.isArray(changes) && changes.every((change) => Array.isArray(change) && Number.isInteger(change[0]) && typeof change[1] === "string");
  return wellFormed ? { epoch, seq: seq as number, changes } : undefined;
}
