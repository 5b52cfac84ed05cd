import type { components } from "../../generated/flatpeak.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import type { FlatpeakClient } from "../client/client.js";
import { FlatpeakError } from "../errors/errors.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { requestOf } from "../http/request-of.js";
import { unwrap } from "../helpers/unwrap.js";

type Price = components["schemas"]["Price"];

/**
 * Options of {@link waitForTariff}.
 *
 * @example
 * const options: WaitForTariffOptions = { locationId: "loc_…", deadlineMs: 60 * 60_000 };
 */
export interface WaitForTariffOptions {
  locationId: string;
  /** Which tariff to wait for; default `IMPORT`. */
  tariffDirection?: components["schemas"]["TariffDirection"] | undefined;
  /** Time between checks; default 15 minutes, the least the docs allow while a tariff is pending. */
  intervalMs?: number | undefined;
  /** Give up after this long; default 48 hours, when Flatpeak itself gives up and sends `tariff.fetch.failed`. */
  deadlineMs?: number | undefined;
  /** Stops waiting at once, with a `FlatpeakError` of kind `aborted`. */
  signal?: AbortSignal | undefined;
  /** Settles when your webhook endpoint receives `connect_session.complete` for this location; the next check then runs at once. */
  completed?: PromiseLike<unknown> | undefined;
}

// Stryker disable next-line BooleanLiteral: checkKeys reads which keys the table holds, never their values
const KEYS: EveryKey<WaitForTariffOptions> = { locationId: true, tariffDirection: true, intervalMs: true, deadlineMs: true, signal: true, completed: true };
const PENDING_CODES = new Set(["pending_connect", "no_price_data"]);
const DOCUMENTED_INTERVAL_MS = 15 * 60_000;
const DOCUMENTED_DEADLINE_MS = 48 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * Waits until the tariff Connect linked to a location has prices: asks for
 * the next hour's price (`POST /prices/{id}`) now, and again every
 * `intervalMs` while Flatpeak answers 422 `pending_connect` or
 * `no_price_data`. Resolves with the first prices; throws a `FlatpeakError`
 * of kind `http` for any other error, `timeout` after the deadline, `aborted`
 * on the signal.
 *
 * @example
 * import { completeConnect, waitForTariff } from "flatpeak-client";
 *
 * const { locationId, tariffProcessed } = await completeConnect(flatpeak, callbackUrl);
 * if (!tariffProcessed) await waitForTariff(flatpeak, { locationId, completed: sessionCompleted(locationId) });
 */
export async function waitForTariff(client: FlatpeakClient, options: WaitForTariffOptions): Promise<Price> {
  checkKeys("waitForTariff", options, KEYS);
  const intervalMs = wholeNumberOption("waitForTariff", "intervalMs", options.intervalMs, DOCUMENTED_INTERVAL_MS, 1, MAX_TIMER_MS);
  const deadlineMs = wholeNumberOption("waitForTariff", "deadlineMs", options.deadlineMs, DOCUMENTED_DEADLINE_MS, 0, MAX_TIMER_MS);
  const deadline = Date.now() + deadlineMs;
  let wake = options.completed === undefined ? undefined : Promise.resolve(options.completed);
  for (;;) {
    const start = new Date();
    const result = await client.POST("/prices/{id}", {
      params: { path: { id: options.locationId } },
      body: { start_time: start.toISOString(), end_time: new Date(start.getTime() + HOUR_MS).toISOString(), tariff_direction: options.tariffDirection ?? "IMPORT" },
      signal: options.signal ?? null,
    });
    if (!(result.error?.status === 422 && PENDING_CODES.has(result.error.code))) return unwrap(result);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw stillPending(result.response, options.locationId, deadlineMs);
    const woken = await pause(Math.min(intervalMs, remaining), options.signal, wake, result.response);
    if (woken) wake = undefined;
  }
}

/** Waits `ms`, or until `wake` settles (true), or rejects when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined, wake: Promise<unknown> | undefined, last: Response): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const finish = (woken: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(woken);
    };
    const onAbort = () => {
      clearTimeout(timer);
      const { method, url } = requestOf(last);
      reject(new FlatpeakError({ kind: "aborted", method, url, message: `waiting for the tariff was aborted` }));
    };
    const timer = setTimeout(() => finish(false), ms);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort);
    wake?.then(() => finish(true), () => finish(true));
  });
}

function stillPending(last: Response, locationId: string, deadlineMs: number): FlatpeakError {
  const { method, url } = requestOf(last);
  const hours = (deadlineMs / HOUR_MS).toFixed(2).replace(/\.?0+$/, "");
  return new FlatpeakError({ kind: "timeout", method, url, message: `the tariff of ${locationId} still had no prices after ${hours} h` });
}
