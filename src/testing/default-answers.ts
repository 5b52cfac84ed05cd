/**
 * What the mock answers by default where the documented example alone would
 * stop a flow: answers built from the request, so that prices cover the
 * window asked for, meter batches are accepted and processed, and schedules,
 * costs and Connect give back the ids they were sent. Each answer keeps the
 * example's other fields, so it stays valid for the spec. Creates and edits
 * give back the `reference_id` and ids they were sent; an amount schedule the
 * energy and power asked for.
 *
 * @example
 * const body = DEFAULT_ANSWERS["POST /prices/{id}"]?.({ path: { id: "loc_1" }, query: {}, body: window, example, memory });
 */
import { inOffsetOf, objectOf, pick, type AnswerContext, type DefaultAnswer, type MockMemory } from "./answer-context.js";
import { created, edited } from "./object-answers.js";
import { amountSchedule, windowSchedule } from "./schedule-answers.js";

const HALF_HOUR_MS = 30 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** When, in UTC, the mock's prices are updated each day. */
const UPDATE_HOUR_MS = 16 * 60 * 60_000;
/** The longest price window the API serves; a longer one is answered for its first 90 days. */
const MAX_WINDOW_MS = 90 * DAY_MS;

/**
 * The default answers, by operation.
 *
 * @example
 * const answer = DEFAULT_ANSWERS["GET /meters/batch"];
 */
export const DEFAULT_ANSWERS: Readonly<Record<string, DefaultAnswer>> = {
  "POST /prices/{id}": priceAnswer,
  "PUT /meters/interval": ({ body, example, memory }) => acceptedBatch(example, memory, Array.isArray(body) ? body.length : 0),
  "PUT /meters/cumulative/epoch": ({ body, example, memory }) => acceptedBatch(example, memory, Array.isArray(objectOf(body).data) ? (objectOf(body).data as unknown[]).length : 0),
  "GET /meters/batch": batchStatus,
  "POST /customers": created,
  "PATCH /customers/{id}": edited,
  "POST /locations": created,
  "PATCH /locations/{id}": edited,
  "POST /devices": created,
  "PATCH /devices/{id}": edited,
  "POST /tariffs": created,
  "PATCH /tariffs/{id}": edited,
  "POST /schedules/amount/{id}": amountSchedule,
  "POST /schedules/duration/{id}": windowSchedule,
  "POST /schedules/limit/{id}": windowSchedule,
  "POST /costs/instant": ({ body, query, example }) => ({ ...objectOf(example), request: { ...objectOf(body), non_persistent: query.non_persistent === true } }),
  "POST /costs/interval/{id}": costReport,
  "POST /costs/session/{id}": costReport,
  "POST /connect/token": ({ body, example, memory }) => {
    const token = memory.nextId("cot");
    memory.sessions.set(token, objectOf(body));
    return { ...objectOf(example), connect_token: token };
  },
  "GET /connect/tariff/token": ({ query, example, memory }) => {
    const token = String(query.connect_token);
    const session = memory.sessions.get(token) ?? {};
    return { ...objectOf(example), id: token, ...pick(session, ["customer_id", "customer_reference_id", "location_id", "location_reference_id"]) };
  },
};

/** Prices over exactly the window asked for, half-hourly, in the offset of its `start_time`, forecast beyond the next day; updated daily at 16:00 UTC, `next_update` the first such time after now. */
function priceAnswer({ path, body, example }: AnswerContext): unknown {
  const window = objectOf(body);
  const now = Date.now();
  const startText = typeof window.start_time === "string" ? window.start_time : new Date(now).toISOString();
  const start = Date.parse(startText);
  const end = Math.min(Date.parse(String(window.end_time)), start + MAX_WINDOW_MS);
  const data = [];
  for (let from = start; from < end; ) {
    const to = Math.min(end, Math.floor(from / HALF_HOUR_MS) * HALF_HOUR_MS + HALF_HOUR_MS);
    data.push({ valid_from: inOffsetOf(startText, from), valid_to: inOffsetOf(startText, to), price: { value: priceAt(from), confidence: from < now + DAY_MS ? 1 : 0.8 } });
    from = to;
  }
  const nextUpdate = Math.floor((now - UPDATE_HOUR_MS) / DAY_MS) * DAY_MS + UPDATE_HOUR_MS + DAY_MS;
  return {
    ...objectOf(example),
    location_id: path.id,
    tariff_direction: window.tariff_direction ?? "IMPORT",
    last_updated: inOffsetOf(startText, nextUpdate - DAY_MS),
    next_update: inOffsetOf(startText, nextUpdate),
    request: { ...window, start_time: startText },
    data,
    time_created: new Date(now).toISOString(),
  };
}

/** A day's shape of prices per kWh: cheap at night, dear at the evening peak, a little different every half hour (one price for the whole half hour). */
function priceAt(time: number): number {
  const hour = new Date(time).getUTCHours();
  const base = hour < 6 ? 0.12 : hour >= 16 && hour < 19 ? 0.36 : 0.24;
  return Math.round((base + (Math.floor(time / HALF_HOUR_MS) % 7) * 0.004) * 10_000) / 10_000;
}

/** A batch with its own id, every record accepted, none processed yet. */
function acceptedBatch(example: unknown, memory: MockMemory, records: number): unknown {
  const id = memory.nextId("bat");
  memory.batches.set(id, records);
  return { ...objectOf(example), id, records_submitted: records, records_accepted: records, records_processed: 0, failed_records: [], time_created: new Date().toISOString() };
}

/** A batch the mock accepted, processed by the time it is asked about; one it does not know, empty. */
function batchStatus({ query, example, memory }: AnswerContext): unknown {
  const id = String(query.batch_id);
  const records = memory.batches.get(id) ?? 0;
  return { ...objectOf(example), id, records_submitted: records, records_accepted: records, records_processed: records, failed_records: [] };
}

/** A cost report for the object and direction asked for. */
function costReport({ path, query, example }: AnswerContext): unknown {
  return { ...objectOf(example), object_id: path.id, tariff_direction: typeof query.tariff_direction === "string" ? query.tariff_direction : "IMPORT" };
}

