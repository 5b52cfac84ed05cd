/**
 * Property tests: whatever strings go into path and query parameters, the
 * server receives exactly them (or the client refuses them up front), and
 * pagination yields every item of any list exactly once, in order.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFlatpeakClient, paginate } from "../../src/index.js";
import { json, startLocalServer, type LocalServer, type RecordedRequest } from "../helpers/local-server.js";

const customer = (id: string) => ({ id, object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" });

/** The list the server serves; each property run replaces it. */
let list: string[] = [];
let server: LocalServer;

function servePage(request: RecordedRequest) {
  const url = new URL(request.url, "http://x");
  const limit = Number(url.searchParams.get("limit") ?? 30);
  const after = url.searchParams.get("starting_after");
  const start = after === null ? 0 : list.indexOf(after) + 1;
  const data = list.slice(start, start + limit).map(customer);
  return { object: "list", url: "/customers", has_more: start + limit < list.length, data };
}

beforeAll(async () => {
  server = await startLocalServer((request, response) =>
    json(response, 200, request.url.startsWith("/customers?") || request.url === "/customers" ? servePage(request) : customer("cus_1")),
  );
});
afterAll(async () => server.close());

const flatpeak = () => createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
const lastRequest = () => server.requests[server.requests.length - 1]!;
/** Any text, plus short strings built from the characters most likely to break a path. */
const anyId = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("\ud800", "\udfff", ".", "/", "?", "%", "#", "+", " ", "a"), maxLength: 6 }),
);
const sendable = (text: string) => !["", ".", ".."].includes(text.trim()) && !/\p{Cs}/u.test(text);

describe("parameter serialisation", () => {
  it("sends any path id as exactly one encoded segment, or refuses it before sending", async () => {
    const client = flatpeak();
    const outcomes = { sent: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(anyId, async (id) => {
        const before = server.requests.length;
        const outcome = await client.GET("/customers/{id}", { params: { path: { id } } }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        if (!sendable(id)) {
          expect(outcome).toMatchObject({ error: expect.any(TypeError) });
          expect(server.requests.length).toBe(before);
          outcomes.refused++;
          return;
        }
        outcomes.sent++;
        expect("result" in outcome && outcome.result.data?.id).toBe("cus_1");
        const path = lastRequest().url;
        expect(path.startsWith("/customers/")).toBe(true);
        expect(path.slice("/customers/".length)).not.toContain("/");
        expect(decodeURIComponent(path.slice("/customers/".length))).toBe(id);
      }),
      { numRuns: 400 },
    );
    expect(outcomes.sent).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it("sends any query values so that the server reads back the same values", async () => {
    const client = flatpeak();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ reference_id: fc.string({ unit: "grapheme", minLength: 1 }), starting_after: fc.string({ unit: "grapheme", minLength: 1 }), limit: fc.integer({ min: 1, max: 100 }) }),
        async (query) => {
          await client.GET("/customers", { params: { query } });
          const received = Object.fromEntries(new URL(lastRequest().url, "http://x").searchParams);
          expect(received).toEqual({ ...query, limit: String(query.limit) });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("pagination cursors", () => {
  it("yields every item exactly once, in order, following the last id of each page", async () => {
    const client = flatpeak();
    const ids = fc.uniqueArray(fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }), { maxLength: 250 });
    await fc.assert(
      fc.asyncProperty(ids, fc.integer({ min: 1, max: 100 }), async (items, limit) => {
        list = items;
        const before = server.requests.length;
        const seen: string[] = [];
        for await (const item of paginate(client, "/customers", { params: { query: { limit } } })) seen.push(item.id);
        expect(seen).toEqual(items);
        const cursors = server.requests.slice(before).map((r) => new URL(r.url, "http://x").searchParams.get("starting_after"));
        const pageEnds = Array.from({ length: cursors.length - 1 }, (_, page) => items[(page + 1) * limit - 1]!);
        expect(cursors).toEqual([null, ...pageEnds]);
      }),
      { numRuns: 150 },
    );
  });
});
