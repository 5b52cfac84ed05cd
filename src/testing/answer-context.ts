/**
 * What a default answer is built from: the request as the mock read it, the
 * operation's documented example and the mock's memory.
 *
 * @example
 * const context: AnswerContext = { path: { id: "loc_1" }, query: {}, body: { end_time: "2026-12-03T07:00:00Z" }, example, memory: createMockMemory() };
 */
export interface AnswerContext {
  path: Record<string, string>;
  query: Record<string, string | number | boolean | Array<string | number | boolean>>;
  body: unknown;
  example: unknown;
  memory: MockMemory;
}

/**
 * What a mock remembers between requests: the batches it accepted and the
 * Connect sessions it started.
 *
 * @example
 * const memory = createMockMemory();
 */
export interface MockMemory {
  /** A fresh id with `prefix`, e.g. `bat_mock_1`. */
  nextId(prefix: string): string;
  /** Records accepted per batch id. */
  batches: Map<string, number>;
  /** The body each connect token was created with. */
  sessions: Map<string, Record<string, unknown>>;
}

/**
 * A default answer: the body the mock answers, built from the request.
 *
 * @example
 * const answer: DefaultAnswer = ({ path, example }) => ({ ...objectOf(example), id: path.id });
 */
export type DefaultAnswer = (context: AnswerContext) => unknown;

/**
 * A fresh {@link MockMemory}.
 *
 * @example
 * const memory = createMockMemory();
 * memory.nextId("bat"); // "bat_mock_1"
 */
export function createMockMemory(): MockMemory {
  let sequence = 0;
  return { nextId: (prefix) => `${prefix}_mock_${++sequence}`, batches: new Map(), sessions: new Map() };
}

/**
 * A JSON object as a record; anything else (an array, a string, nothing) as
 * an empty one.
 *
 * @example
 * objectOf(JSON.parse(text)).reference_id;
 */
export function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The string-valued `keys` of `source`.
 *
 * @example
 * pick({ customer_id: "cus_1", limit: 3 }, ["customer_id", "limit"]); // { customer_id: "cus_1" }
 */
export function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => typeof source[key] === "string").map((key) => [key, source[key]]));
}

/**
 * `time` written in the UTC offset of `reference` (`Z` or `±hh:mm`), to the
 * second.
 *
 * @example
 * inOffsetOf("2026-12-03T07:00:00+01:00", Date.parse("2026-12-03T06:00:00Z")); // "2026-12-03T07:00:00+01:00"
 */
export function inOffsetOf(reference: string, time: number): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(reference);
  if (offset === null) return `${new Date(time).toISOString().slice(0, 19)}Z`;
  const minutes = (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  return `${new Date(time + minutes * 60_000).toISOString().slice(0, 19)}${offset[0]}`;
}
