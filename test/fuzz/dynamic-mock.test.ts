/**
 * Fuzzing against Prism in dynamic mode: random but schema-valid responses,
 * success and documented errors alike, over every operation. Every call must
 * end as typed data or a typed error; nothing may throw or go unhandled.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock } from "../../scripts/mock.mjs";
import { createFlatpeakClient } from "../../src/index.js";
import { operationCalls } from "../contract/calls.js";
import { documentedStatuses, responseViolations, specOperations } from "../helpers/spec.js";

const CALLS = 1_036;
const CONCURRENCY = 8;
let mock: Awaited<ReturnType<typeof startMock>>;

beforeAll(async () => {
  mock = await startMock({ dynamic: true });
}, 60_000);
afterAll(async () => mock?.stop());

/** Runs `jobs` with at most `limit` in flight. */
async function runPooled<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe("dynamic mock", () => {
  it(`answers ${CALLS} calls over every operation with typed data or typed errors`, async () => {
    const raw = new Map<string, { status: number; body: string }>();
    const newClient = () =>
      createFlatpeakClient({
        token: "fuzz",
        baseUrl: mock.baseUrl,
        maxRetries: 0,
        fetch: async (request, init) => {
          const response = await fetch(request, init);
          raw.set(request.headers.get("x-fuzz-call") ?? "", { status: response.status, body: await response.clone().text() });
          return response;
        },
      });
    const calls = operationCalls(newClient());
    const operations = specOperations();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);

    const jobs = Array.from({ length: CALLS }, (_, n) => async () => {
      const operation = operations[n % operations.length]!;
      const statuses = documentedStatuses(operation);
      const status = statuses[Math.floor(n / operations.length) % statuses.length]!;
      // A 429 pauses the client that gets it for its Retry-After, so each goes to a client of its own.
      const result = await (status === 429 ? operationCalls(newClient()) : calls)[operation]!({ Prefer: `code=${status}`, "x-fuzz-call": String(n) });
      return { n, operation, status, result };
    });
    const outcomes = await runPooled(jobs, CONCURRENCY);
    process.off("unhandledRejection", onUnhandled);

    expect(unhandled).toEqual([]);
    expect(new Set(outcomes.map((o) => o.operation)).size).toBe(operations.length);
    for (const { n, operation, status, result } of outcomes) {
      const sent = raw.get(String(n))!;
      expect(sent.status, operation).toBe(status);
      expect(responseViolations(operation, status, JSON.parse(sent.body)), `${operation} ${status}`).toEqual([]);
      if (status < 300) {
        expect(result.error, operation).toBeUndefined();
        expect(result.data, operation).toBeDefined();
      } else {
        expect(result.data, operation).toBeUndefined();
        expect(result.error, operation).toMatchObject({ status, type: expect.any(String), code: expect.any(String), message: expect.any(String) });
      }
    }
  }, 120_000);
});
