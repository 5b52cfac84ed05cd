/** Records as a flow takes them: an array, or any (async) iterable. */
type Records<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Runs `send` on the batches of `reader`, at most `concurrency` at a time,
 * reading the next batch only when a slot is free (each read through
 * `guard`, which an abort settles at once); results keep the order of the
 * batches. The first failure stops every worker.
 *
 * @example
 * const results = await inBatches(batchReader(records, 10_000, "uploadMeterRecords"), 2, (read) => read, submit);
 */
export async function inBatches<T, R>(reader: BatchReader<T>, concurrency: number, guard: (read: Promise<T[] | undefined>) => Promise<T[] | undefined>, send: (batch: T[]) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let index = 0;
  let stopped = false;
  const worker = async () => {
    try {
      while (!stopped) {
        const batch = await guard(reader.next());
        if (batch === undefined || stopped) return;
        const at = index++;
        results[at] = await send(batch);
      }
    } catch (error) {
      stopped = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/**
 * Batches read from a source of records, one batch at a time.
 *
 * @example
 * const reader: BatchReader<Row> = batchReader(rows, 10_000, "uploadMeterRecords");
 */
export interface BatchReader<T> {
  /** The next batch of up to `size` items, `undefined` once the source is done; reads one batch at a time, whoever asks. */
  next(): Promise<T[] | undefined>;
  /** Ends the source early, by its `return()`, unless it is done: a generator's `finally` runs, a cursor closes. */
  close(): void;
}

/**
 * The batches of up to `size` records of `source` (an array, or any (async)
 * iterable), read only as they are asked for; `name` names the caller in the
 * `TypeError` for a source that is none of these.
 *
 * @example
 * const reader = batchReader(generateReadings(), 10_000, "uploadMeterRecords");
 */
export function batchReader<T>(source: Records<T>, size: number, name: string): BatchReader<T> {
  const iterator = iteratorOf(source, name);
  let done = false;
  let reading: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<T[] | undefined> => {
    const batch: T[] = [];
    while (!done && batch.length < size) {
      const next = await iterator.next();
      if (next.done) done = true;
      else batch.push(next.value);
    }
    return batch.length > 0 ? batch : undefined;
  };
  return {
    next() {
      const batch = reading.then(read);
      reading = batch.catch(() => undefined);
      return batch;
    },
    close() {
      if (done) return;
      done = true;
      void Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
    },
  };
}

function iteratorOf<T>(source: Records<T>, name: string): Iterator<T> | AsyncIterator<T> {
  const records = source as Partial<Iterable<T> & AsyncIterable<T>> | null;
  const asyncIterator = records?.[Symbol.asyncIterator];
  if (typeof asyncIterator === "function") return asyncIterator.call(records);
  const syncIterator = records?.[Symbol.iterator];
  if (typeof syncIterator === "function") return syncIterator.call(records);
  throw new TypeError(`${name}: pass the records as an array or an (async) iterable, such as a generator reading them from your database.`);
}
