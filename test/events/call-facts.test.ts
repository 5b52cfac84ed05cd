/**
 * The facts events and spans report of an attempt or a call, and the words
 * for why an attempt is sent again.
 */
import { describe, expect, it } from "vitest";
import { FlatpeakError } from "../../src/errors/errors.js";
import { attemptFacts, callFacts, retryReason } from "../../src/events/call-facts.js";

const failure = (kind: "network" | "timeout") => new FlatpeakError({ kind, method: "GET", url: "https://api.flatpeak.com/customers" });
const answer = (status: number, headers: Record<string, string> = {}) => new Response(status === 304 ? null : "", { status, headers });

describe("attemptFacts", () => {
  it("gives an answer below 400 its status only, and one from 400 on the code Flatpeak would have sent", () => {
    expect(attemptFacts({ response: answer(304) })).toEqual({ status: 304 });
    expect(attemptFacts({ response: answer(400) })).toEqual({ status: 400, code: "invalid_request" });
    expect(attemptFacts({ error: failure("timeout") })).toEqual({ errorKind: "timeout" });
  });
});

describe("callFacts", () => {
  it("gives a result its status, and the code of its error only when that is a string", () => {
    expect(callFacts({ result: { response: answer(404), error: { code: "not_found" } } })).toEqual({ status: 404, code: "not_found" });
    expect(callFacts({ result: { response: answer(404), error: { code: 404 } } })).toEqual({ status: 404 });
    expect(callFacts({ result: { response: answer(200), data: {} } })).toEqual({ status: 200 });
  });

  it("gives a FlatpeakError its kind, and any other error nothing", () => {
    expect(callFacts({ error: failure("network") })).toEqual({ errorKind: "network" });
    expect(callFacts({ error: new TypeError("no") })).toEqual({});
  });
});

describe("retryReason", () => {
  it.each([
    [{ error: failure("network") }, "network failure"],
    [{ error: failure("timeout") }, "timeout"],
    [{ response: answer(503) }, "503 answer"],
    [{ response: answer(429, { "retry-after": "2" }) }, "429 answer, Retry-After"],
  ] as const)("says why: %#", (outcome, reason) => {
    expect(retryReason(outcome)).toBe(reason);
  });
});
