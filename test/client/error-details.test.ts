/**
 * A thrown FlatpeakError of kind http carries what to do next: the wait
 * Flatpeak asked for, and the answer's headers without cookies or credentials.
 */
import { describe, expect, it } from "vitest";
import { createFlatpeakClient, FlatpeakError, isFlatpeakError, paginate, unwrap } from "../../src/index.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { caught } from "../helpers/caught.js";

async function thrown(promise: Promise<unknown>): Promise<FlatpeakError> {
  const error = await caught(promise);
  expect(isFlatpeakError(error)).toBe(true);
  return error as FlatpeakError;
}

function clientAnswering(status: number, headers: Record<string, string>) {
  const mock = createMockFlatpeak();
  mock.on("GET /customers", () => ({ fault: "answer", ...mock.error(status), headers }));
  return createFlatpeakClient({ token: "t", fetch: mock.fetch, maxRetries: 0 });
}

describe("FlatpeakError of kind http", () => {
  it("has the Retry-After of a 429 in ms, from unwrap and from paginate", async () => {
    const flatpeak = clientAnswering(429, { "Retry-After": "7" });
    for (const error of [await thrown(unwrap(flatpeak.GET("/customers"))), await thrown(paginate(flatpeak, "/customers").toArray({ limit: 1 }))]) {
      expect([error.kind, error.status, error.code, error.retryAfterMs]).toEqual(["http", 429, "rate_limit", 7_000]);
    }
  });

  it("reads a Retry-After given as an HTTP date", async () => {
    const flatpeak = clientAnswering(503, { "Retry-After": new Date(Date.now() + 10_000).toUTCString() });
    const { retryAfterMs } = await thrown(unwrap(flatpeak.GET("/customers")));
    expect(retryAfterMs).toBeGreaterThan(8_000);
    expect(retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it("has no retryAfterMs when the answer gives none", async () => {
    expect((await thrown(unwrap(clientAnswering(404, {}).GET("/customers")))).retryAfterMs).toBeUndefined();
  });

  it("keeps the answer's headers, but no cookie, credential, token, secret or key", async () => {
    const flatpeak = clientAnswering(429, {
      "Retry-After": "1",
      "X-Request-Id": "req_42",
      "Set-Cookie": "session=s3cret",
      "X-Api-Key": "k3y",
      "Proxy-Authorization": "Basic abc",
      "X-Upstream-Token": "t0k",
      "X-Client-Secret": "sh",
    });
    const { headers } = await thrown(unwrap(flatpeak.GET("/customers")));
    expect(headers).toEqual({
      "content-type": "application/json",
      "flatpeak-version": "2025-09-14.anode",
      "retry-after": "1",
      "x-request-id": "req_42",
    });
  });

  it("is given neither by errors without an answer", async () => {
    const error = new FlatpeakError({ kind: "timeout", method: "GET", url: "https://api.flatpeak.com/customers" });
    expect([error.retryAfterMs, error.headers]).toEqual([undefined, undefined]);
  });
});
