/**
 * The pieces the in-process mock answers with: responses with Flatpeak's
 * version header, its error bodies, faults, the query typed as the spec
 * types it, and request bodies read as JSON or not.
 */
import { describe, expect, it } from "vitest";
import { FLATPEAK_API_VERSION } from "../../src/index.js";
import { fault, invalid, isFault, notFound, parseBody, queryOf, respond, typedQuery } from "../../src/testing/mock-answers.js";
import type { MockRoute } from "../../src/testing/mock-routes.js";

const route = { queryTypes: { limit: "integer", value: "number", flag: "boolean" } } as unknown as MockRoute;

describe("mock answers", () => {
  it("respond: the JSON body, its status, Flatpeak's version header and the headers given; no body for 204 or none", async () => {
    const answered = respond({ status: 201, body: { id: "cus_1" }, headers: { "Retry-After": "2", "content-type": "application/problem+json" } });
    expect([answered.status, await answered.text(), answered.headers.get("Flatpeak-Version"), answered.headers.get("Retry-After"), answered.headers.get("content-type")]).toEqual([201, '{"id":"cus_1"}', FLATPEAK_API_VERSION, "2", "application/problem+json"]);
    expect(respond({ status: 200, body: null }).headers.get("content-type")).toBe("application/json");
    expect(await respond({ status: 200, body: null }).text()).toBe("null");
    expect([await respond({ status: 204, body: { ignored: true } }).text(), await respond({ status: 200, body: undefined }).text()]).toEqual(["", ""]);
  });

  it("invalid and notFound: Flatpeak's error bodies with the message given", () => {
    expect(invalid("Query parameter limit must be an integer.")).toEqual({ status: 400, body: { object: "error", type: "invalid_request", code: "invalid_request", message: "Query parameter limit must be an integer.", live_mode: false } });
    expect(notFound("No such path.")).toEqual({ status: 404, body: { object: "error", type: "invalid_request", code: "not_found", message: "No such path.", live_mode: false } });
  });

  it("isFault: only a value whose fault is text", () => {
    expect([isFault({ fault: "network" }), isFault({ fault: 1 }), isFault(null), isFault(undefined), isFault({ status: 200 })]).toEqual([true, false, false, false, false]);
  });

  it("fault: an answer fault answers its status and body (network and timeout faults: test/testing/mock.test.ts)", async () => {
    const answered = await fault({ fault: "answer", status: 503, body: { code: "down" } } as never, new Request("https://api.flatpeak.com/customers"));
    expect([answered.status, await answered.json()]).toEqual([503, { code: "down" }]);
  });

  it("typedQuery: integers, numbers and booleans as the spec types them, others and absent ones as they are", () => {
    expect(typedQuery(route, { limit: "-12", value: "2.5", flag: "true", other: "7" })).toEqual({ limit: -12, value: 2.5, flag: true, other: "7" });
    expect(typedQuery(route, { value: "-0.125" })).toEqual({ value: -0.125 });
    expect(typedQuery(route, { limit: ["1", "2"], flag: ["false", "true"], value: "3" })).toEqual({ limit: [1, 2], flag: [false, true], value: 3 });
    expect(typedQuery(route, {})).toEqual({});
  });

  it.each([
    [{ limit: "2.5" }, "Query parameter limit must be an integer."],
    [{ limit: "x1" }, "Query parameter limit must be an integer."],
    [{ limit: "1x" }, "Query parameter limit must be an integer."],
    [{ limit: ["1", "two"] }, "Query parameter limit must be an integer."],
    [{ value: "1.5.2" }, "Query parameter value must be a number."],
    [{ value: "1." }, "Query parameter value must be a number."],
    [{ value: "" }, "Query parameter value must be a number."],
    [{ flag: "yes" }, "Query parameter flag must be true or false."],
    [{ flag: "TRUE" }, "Query parameter flag must be true or false."],
  ])("typedQuery refuses %j: %s", (query, message) => {
    expect(typedQuery(route, query)).toBe(message);
  });

  it("queryOf: one value as text, several as a list, on an object without a prototype", () => {
    const query = queryOf(new URL("https://api.flatpeak.com/customers?limit=2&id=a&id=b&__proto__=x&empty="));
    expect({ ...query }).toEqual({ limit: "2", id: ["a", "b"], ["__proto__"]: "x", empty: "" });
    expect(Object.getPrototypeOf(query)).toBeNull();
  });

  it("parseBody: no body, JSON, and text that is no JSON", () => {
    expect([parseBody(""), parseBody('{"a":1}'), parseBody("null"), parseBody("{oops")]).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: { a: 1 } },
      { ok: true, value: null },
      { ok: false, value: "{oops" },
    ]);
  });
});
