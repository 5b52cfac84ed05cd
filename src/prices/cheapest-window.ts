import { instantOf } from "./instant.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import type { PriceInterval } from "./intervals.js";

/**
 * Options of {@link cheapestWindow}: how long the window is, and the span it
 * must lie in (each an instant: a `Date`, an RFC 3339 string or epoch ms).
 *
 * @example
 * const options: CheapestWindowOptions = { durationMinutes: 120, notBefore: new Date(), notAfter: "2026-12-03T07:00:00Z" };
 */
export interface CheapestWindowOptions {
  /** The length of the window, in minutes of real time (a DST change shortens or lengthens no window). */
  durationMinutes: number;
  /** The earliest start; default the start of the first interval. */
  notBefore?: Date | string | number | undefined;
  /** The latest end; default the end of the last interval. */
  notAfter?: Date | string | number | undefined;
}

/**
 * The cheapest window found: its start and end, and the time-weighted
 * average price over it.
 *
 * @example
 * const { start, average }: CheapestWindow = cheapestWindow(intervals, { durationMinutes: 120 })!;
 */
export interface CheapestWindow {
  start: Date;
  end: Date;
  average: number;
}

type Span = Pick<PriceInterval, "start" | "end" | "value">;
const MINUTE_MS = 60_000;
const KEYS: EveryKey<CheapestWindowOptions> = { durationMinutes: true, notBefore: true, notAfter: true };

/**
 * The one contiguous window of `durationMinutes` within `notBefore` …
 * `notAfter` whose time-weighted average price is the lowest, over
 * intervals of a `POST /prices/{id}` answer (or any `{ start, end, value }`);
 * the earliest of equally cheap ones. The window lies wholly on intervals,
 * never across a gap between them, and may start and end inside an interval.
 * All on instants, so interval boundaries, gaps and DST changes in the
 * location's time zone are all taken as they are. `undefined` when no
 * window of that length fits; a `TypeError` for overlapping or empty
 * intervals and for options that are not a positive length and instants.
 * Unlike `POST /schedules/duration/{id}`, which may split its answer into
 * several slots, the window is one piece, as an EV charge or a wash cycle
 * needs.
 *
 * @example
 * import { cheapestWindow } from "flatpeak-client/prices";
 *
 * const { intervals } = await prices.get({ locationId, start: new Date(), end: sevenAmTomorrow });
 * const charge = cheapestWindow(intervals, { durationMinutes: 120, notAfter: sevenAmTomorrow });
 * if (charge) console.log(`charge from ${charge.start.toISOString()} at ${charge.average} per kWh on average`);
 */
export function cheapestWindow(intervals: readonly Span[], options: CheapestWindowOptions): CheapestWindow | undefined {
  checkKeys("cheapestWindow", options, KEYS);
  const durationMs = checkedDuration(options.durationMinutes);
  const spans = sortedSpans(intervals);
  const first = spans[0];
  if (first === undefined) return undefined;
  const from = instant("notBefore", options.notBefore) ?? first.from;
  const to = instant("notAfter", options.notAfter) ?? lastOf(spans).to;
  let best: { start: number; cost: number } | undefined;
  for (const run of coveredRuns(spans)) {
    const [lo, hi] = [Math.max((run[0] as Slot).from, from), Math.min(lastOf(run).to, to) - durationMs];
    const cost = costOver(run);
    // The cost is linear between the starts where the window's start or end meets an interval's edge: the cheapest is one of them, or an end of [lo, hi].
    const starts = [lo, hi, ...run.flatMap((span) => [span.from, span.to - durationMs])];
    for (const start of starts.filter((candidate) => candidate >= lo && candidate <= hi).sort((a, b) => a - b)) {
      const total = cost(start + durationMs) - cost(start);
      if (best === undefined || total < best.cost - 1e-12 * Math.max(1, Math.abs(best.cost))) best = { start, cost: total };
    }
  }
  return (
    best && {
      start: new Date(best.start),
      end: new Date(best.start + durationMs),
      average: best.cost / durationMs,
    }
  );
}

interface Slot {
  from: number;
  to: number;
  value: number;
}

function sortedSpans(intervals: readonly Span[]): Slot[] {
  if (!Array.isArray(intervals)) throw new TypeError("cheapestWindow: pass the price intervals as an array, e.g. the intervals of a price answer.");
  const slots = intervals
    .map((interval, i) => {
      const from = instant(`intervals[${i}].start`, interval?.start) ?? Number.NaN;
      const to = instant(`intervals[${i}].end`, interval?.end) ?? Number.NaN;
      if (!(to > from) || !Number.isFinite(interval.value))
        throw new TypeError(`cheapestWindow: intervals[${i}] needs a start before its end and a finite value.`);
      return { from, to, value: interval.value };
    })
    .sort((a, b) => a.from - b.from);
  for (let i = 1; i < slots.length; i++) {
    const [before, after] = [slots[i - 1] as Slot, slots[i] as Slot];
    if (after.from < before.to) throw new TypeError(`cheapestWindow: two intervals overlap at ${new Date(after.from).toISOString()}; each moment may have one price.`);
  }
  return slots;
}

/** The sorted slots cut into runs without gaps. */
function coveredRuns(slots: Slot[]): Slot[][] {
  const runs: Slot[][] = [];
  for (const slot of slots) {
    const run = runs[runs.length - 1];
    if (run !== undefined && lastOf(run).to === slot.from) run.push(slot);
    else runs.push([slot]);
  }
  return runs;
}

/** The price integrated from the start of `run` up to instant `t` (within it), in value × ms. */
function costOver(run: Slot[]): (t: number) => number {
  const before: number[] = [];
  let sum = 0;
  for (const slot of run) {
    before.push(sum);
    sum += slot.value * (slot.to - slot.from);
  }
  return (t) => {
    let [lo, hi] = [0, run.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      // Stryker disable next-line EqualityOperator: at an edge, the slot before it and the slot from it give the same integral
      if ((run[mid] as Slot).from <= t) lo = mid;
      else hi = mid - 1;
    }
    const slot = run[lo] as Slot;
    return (before[lo] as number) + slot.value * (t - slot.from);
  };
}

function checkedDuration(minutes: unknown): number {
  if (typeof minutes === "number" && minutes > 0 && minutes < Number.POSITIVE_INFINITY) return minutes * MINUTE_MS;
  throw new TypeError(`cheapestWindow: durationMinutes must be a positive number of minutes, got ${String(minutes)}.`);
}

/** The last of `slots`, which has at least one. */
function lastOf(slots: Slot[]): Slot {
  return slots[slots.length - 1] as Slot;
}

function instant(name: string, value: unknown): number | undefined {
  return instantOf("cheapestWindow", name, value);
}
