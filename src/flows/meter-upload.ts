import type { components } from "../../generated/flatpeak.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import type { FlatpeakClient } from "../client/client.js";
import { sleep, untilAborted } from "../shared/abort.js";
import { FlatpeakError } from "../errors/errors.js";
import { MAX_TIMER_MS, wholeNumberOption } from "../shared/number-option.js";
import { requestOf } from "../http/request-of.js";
import { unwrap } from "../helpers/unwrap.js";
import { batchReader, inBatches } from "./batches.js";

type Schemas = components["schemas"];
type MeterBatch = Schemas["MeterBatch"];
type Records<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Options of {@link uploadMeterRecords} and {@link uploadCumulativeReadings}.
 *
 * @example
 * const options: MeterUploadOptions = { concurrency: 4, waitForProcessing: true };
 */
export interface MeterUploadOptions {
  /** Records per request, at most 10 000 (the API's limit, and the default). */
  batchSize?: number | undefined;
  /** Requests in flight at once; default 2. */
  concurrency?: number | undefined;
  /** Also wait until Flatpeak has processed every batch (`GET /meters/batch`), collecting failed records; default false. */
  waitForProcessing?: boolean | undefined;
  /** Time between processing checks; default 5 000 ms. */
  pollIntervalMs?: number | undefined;
  /** Stop waiting for processing after this long; default 10 minutes. The result then says which batches are not done. */
  processingDeadlineMs?: number | undefined;
  /** Stops the upload (and the wait) at once, with a `FlatpeakError` of kind `aborted`. */
  signal?: AbortSignal | undefined;
}

/**
 * What an upload did: its batches, how many records Flatpeak accepted and,
 * when it waited for processing, the records that failed and why.
 *
 * @example
 * const { recordsAccepted, failedRecords } = await uploadMeterRecords(flatpeak, records, { waitForProcessing: true });
 */
export interface MeterUploadResult {
  /** Each batch: its id, records sent, accepted and (when waiting) processed, and whether processing finished. */
  batches: Array<{ id: string; records: number; accepted: number; processed: number | undefined; complete: boolean | undefined }>;
  recordsAccepted: number;
  failedRecords: Array<Schemas["FailedMeterRecord"] & { batchId: string }>;
  /** When waiting for processing: true when every batch finished before the deadline. */
  processingComplete: boolean | undefined;
}

const MAX_BATCH = 10_000;
/** Errors keep only the path of a URL; this base only makes the path a URL. */
const PATH_ONLY = "https://api.flatpeak.com";

/**
 * Submits interval meter records of any count (`PUT /meters/interval`):
 * batches of at most 10 000, `concurrency` requests at a time, each retried
 * on network errors and 5xx like every PUT (the submission is idempotent).
 * Records are read from the iterable only as batches go out, so memory stays
 * bounded however many there are. A batch the API refuses throws a
 * `FlatpeakError` of kind `http`; batches sent before it stay submitted.
 *
 * @example
 * import { uploadMeterRecords } from "flatpeak-client";
 *
 * const result = await uploadMeterRecords(flatpeak, readingsFromDatabase(), { waitForProcessing: true });
 * console.log(`${result.recordsAccepted} accepted, ${result.failedRecords.length} failed`);
 */
export function uploadMeterRecords(client: FlatpeakClient, records: Records<Schemas["MeterRecordRequest"]>, options: MeterUploadOptions = {}): Promise<MeterUploadResult> {
  return upload(client, records, options, { name: "uploadMeterRecords", path: "/meters/interval" }, (batch) => client.PUT("/meters/interval", { body: batch, signal: options.signal ?? null }));
}

/**
 * Submits register (cumulative) readings of one meter of any count
 * (`PUT /meters/cumulative/epoch`), batched and bounded like
 * {@link uploadMeterRecords}.
 *
 * @example
 * import { uploadCumulativeReadings } from "flatpeak-client";
 *
 * await uploadCumulativeReadings(flatpeak, { location_id: "loc_…", units: "KWH" }, [{ time: 1721991392, value: 1553.2 }]);
 */
export function uploadCumulativeReadings(
  client: FlatpeakClient,
  meter: Omit<Schemas["MeterRecordCumulativeRequest"], "data">,
  readings: Records<Schemas["MeterRecordCumulativeRequest"]["data"][number]>,
  options: MeterUploadOptions = {},
): Promise<MeterUploadResult> {
  return upload(client, readings, options, { name: "uploadCumulativeReadings", path: "/meters/cumulative/epoch" }, (data) => client.PUT("/meters/cumulative/epoch", { body: { ...meter, data }, signal: options.signal ?? null }));
}

const KEYS: EveryKey<MeterUploadOptions> = { batchSize: true, concurrency: true, waitForProcessing: true, pollIntervalMs: true, processingDeadlineMs: true, signal: true };

type Submit<T> = (batch: T[]) => Promise<{ data?: MeterBatch; error?: unknown; response: Response }>;

/** What an upload sends, for its option checks and its abort error. */
interface Operation {
  name: "uploadMeterRecords" | "uploadCumulativeReadings";
  path: "/meters/interval" | "/meters/cumulative/epoch";
}

async function upload<T>(client: FlatpeakClient, source: Records<T>, options: MeterUploadOptions, operation: Operation, submit: Submit<T>): Promise<MeterUploadResult> {
  const { name } = operation;
  checkKeys(name, options, KEYS);
  const size = wholeNumberOption(name, "batchSize", options.batchSize, MAX_BATCH, 1, MAX_BATCH);
  const concurrency = wholeNumberOption(name, "concurrency", options.concurrency, 2, 1, 64);
  const pollIntervalMs = wholeNumberOption(name, "pollIntervalMs", options.pollIntervalMs, 5_000, 1, MAX_TIMER_MS);
  const deadlineMs = wholeNumberOption(name, "processingDeadlineMs", options.processingDeadlineMs, 10 * 60_000, 0, MAX_TIMER_MS);
  const { signal } = options;
  const aborted = (method: string, path: string) => () => new FlatpeakError({ kind: "aborted", method, url: `${PATH_ONLY}${path}`, cause: signal?.reason, message: `${name} was aborted` });
  const reader = batchReader(source, size, name);
  let submitted: Array<{ answer: MeterBatch & { id: string }; records: number }>;
  try {
    submitted = await inBatches(reader, concurrency, (read) => untilAborted(read, signal, aborted("PUT", operation.path)), async (batch) => ({ answer: await submitOne(submit, batch), records: batch.length }));
  } finally {
    reader.close();
  }
  const waiting = options.waitForProcessing === true;
  const deadline = Date.now() + deadlineMs;
  const poll = { signal, pollIntervalMs, aborted: aborted("GET", "/meters/batch") };
  const final = waiting
    ? await Promise.all(submitted.map(async ({ answer, records }) => ({ records, batch: await processed(client, answer.id, deadline, poll) })))
    : submitted.map(({ answer, records }) => ({ records, batch: { ...answer, complete: undefined } }));
  return {
    batches: final.map(({ batch, records }) => ({
      id: batch.id,
      records,
      accepted: batch.records_accepted ?? 0,
      processed: waiting ? batch.records_processed : undefined,
      complete: batch.complete,
    })),
    recordsAccepted: final.reduce((sum, { batch }) => sum + (batch.records_accepted ?? 0), 0),
    failedRecords: final.flatMap(({ batch }) => (batch.failed_records ?? []).map((failure) => ({ ...failure, batchId: batch.id }))),
    processingComplete: waiting ? final.every(({ batch }) => batch.complete) : undefined,
  };
}

async function submitOne<T>(submit: Submit<T>, batch: T[]): Promise<MeterBatch & { id: string }> {
  const result = await submit(batch);
  const answer = await unwrap(result);
  if (typeof answer.id !== "string" || answer.id === "") {
    const { method, url } = requestOf(result.response);
    throw new FlatpeakError({ kind: "invalid_response", method, url, message: `${method} ${new URL(url).pathname} answered without a batch id, so the batch cannot be tracked` });
  }
  return answer as MeterBatch & { id: string };
}

interface Poll {
  signal: AbortSignal | undefined;
  pollIntervalMs: number;
  aborted: () => FlatpeakError;
}

/** Polls a batch until every accepted record is processed or failed, or the deadline passes; an abort stops the wait at once. */
async function processed(client: FlatpeakClient, id: string, deadline: number, poll: Poll): Promise<MeterBatch & { id: string; complete: boolean }> {
  for (;;) {
    const batch = await unwrap(client.GET("/meters/batch", { params: { query: { batch_id: id } }, signal: poll.signal ?? null }));
    const complete = (batch.records_processed ?? 0) + (batch.failed_records?.length ?? 0) >= (batch.records_accepted ?? 0);
    const wait = Math.min(poll.pollIntervalMs, deadline - Date.now());
    if (complete || wait <= 0) return { ...batch, id, complete };
    await sleep(wait, poll.signal, poll.aborted);
  }
}
