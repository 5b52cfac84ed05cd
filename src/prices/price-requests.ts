import type { FlatpeakClient } from "../client/client.js";
import { unwrap } from "../helpers/unwrap.js";
import type { CacheSettings } from "./cache-settings.js";
import type { Fleet } from "./fleet.js";
import type { KeptAnswer, KeptAnswers } from "./kept-answers.js";
import { entryOf, type PriceEntry } from "./price-entry.js";
import { covers, type Asked } from "./price-questions.js";
import { timingOf } from "./refresh-plan.js";
import type { SharedAnswers, SharedRecord } from "./shared-answers.js";

/**
 * A `POST /prices/{id}` under way: the window it asked for, the version of
 * the kept answers when it started (an invalidation since means it keeps and
 * serves nothing) and the entry it brings.
 *
 * @example
 * const request: PriceRequest = requests.ask(asked, undefined);
 * const entry = await request.entry;
 */
export interface PriceRequest {
  locationId: string;
  from: number;
  to: number;
  version: number;
  entry: Promise<PriceEntry>;
}

const HOUR_MS = 3_600_000;

/**
 * The requests of a price cache: at most one under way per location and
 * direction that questions join; what each brings is kept in this process
 * and, with a store, written for the fleet over the record that was there
 * before it started — never once its location was invalidated since.
 *
 * @example
 * const requests = priceRequests(flatpeak, settings, kept, fleet);
 * const entry = await (requests.joinable(asked) ?? requests.ask(asked, record)).entry;
 */
export function priceRequests(flatpeak: Pick<FlatpeakClient, "POST">, settings: CacheSettings, kept: KeptAnswers, fleet: Fleet | undefined): PriceRequests {
  const underWay = new Map<string, PriceRequest>();
  const live = (request: PriceRequest | undefined) => request !== undefined && !kept.forgottenSince(request.locationId, request.version);

  /** Writes what a request brought for the fleet, over `basis`, unless its location was invalidated since. */
  async function share(shared: SharedAnswers, request: PriceRequest, key: string, basis: Promise<SharedRecord | undefined>, answer: KeptAnswer): Promise<void> {
    const record = await basis;
    if (record === undefined || !live(request)) return;
    const ttlMs = Math.max(1, Math.ceil(Math.max(answer.entry.freshUntil, answer.entry.refreshAt) + settings.graceMs - Date.now()));
    answer.record = await shared.write(key, record, answer.entry, ttlMs);
  }

  function ask(asked: Asked, basis: SharedRecord | undefined): PriceRequest {
    const from = Math.floor(asked.start / HOUR_MS) * HOUR_MS;
    const to = Math.ceil(asked.end / HOUR_MS) * HOUR_MS + HOUR_MS;
    const request: PriceRequest = { locationId: asked.locationId, from, to, version: kept.version(), entry: Promise.resolve(undefined as never) };
    // The record to write over is the one there before the request starts: read then, or a placeholder of this process's own.
    const record = fleet === undefined ? Promise.resolve(undefined) : basis ? Promise.resolve(basis) : fleet.shared.placeholder(asked.key);
    request.entry = (async () => {
      const body = { start_time: new Date(from).toISOString(), end_time: new Date(to).toISOString(), tariff_direction: asked.direction };
      const price = await unwrap(flatpeak.POST("/prices/{id}", { params: { path: { id: asked.locationId } }, body }));
      const entry = entryOf(price, { from, to }, (nextUpdate) => timingOf(settings, asked.key, nextUpdate));
      if (live(request)) {
        const answer: KeptAnswer = { entry, record: undefined, lookedAt: performance.now() };
        kept.set(asked.key, asked.locationId, answer);
        if (fleet) void share(fleet.shared, request, asked.key, record, answer);
      }
      return entry;
    })().finally(() => {
      if (underWay.get(asked.key) === request) underWay.delete(asked.key);
    });
    underWay.set(asked.key, request);
    return request;
  }

  return {
    ask,
    joinable(asked) {
      const request = underWay.get(asked.key);
      return live(request) && covers(request as PriceRequest, asked) ? request : undefined;
    },
    underWay: (key) => live(underWay.get(key)),
  };
}

/**
 * The requests of a price cache.
 *
 * @example
 * const requests: PriceRequests = priceRequests(flatpeak, settings, kept, fleet);
 */
export interface PriceRequests {
  /** A request for `asked`'s window widened to whole hours and one more hour, whose answer is written over `basis` (the store's record read before it; `undefined`: a placeholder of its own). */
  ask(asked: Asked, basis: SharedRecord | undefined): PriceRequest;
  /** The request under way that `asked` may join: it covers its window, and its location was not invalidated since it started. */
  joinable(asked: Asked): PriceRequest | undefined;
  /** Whether a request that still counts is under way for `key`. */
  underWay(key: string): boolean;
}
