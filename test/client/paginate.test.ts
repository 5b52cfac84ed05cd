import { afterEach, describe, expect, inject, it } from "vitest";
import { createFlatpeakClient, isFlatpeakError, paginate } from "../../src/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `/customers` like Flatpeak: `total` customers, newest first, cursor pagination. */
async function customersServer(total: number) {
  const ids = Array.from({ length: total }, (_, i) => `cus_${String(total - i).padStart(6, "0")}`);
  server = await startLocalServer((request, response) => {
    const url = new URL(request.url, "http://x");
    const limit = Number(url.searchParams.get("limit") ?? 30);
    const after = url.searchParams.get("starting_after");
    const before = url.searchParams.get("ending_before");
    const start = after ? ids.indexOf(after) + 1 : before ? Math.max(0, ids.indexOf(before) - limit) : 0;
    const end = before ? ids.indexOf(before) : Math.min(ids.length, start + limit);
    const data = ids.slice(start, end).map((id) => ({ id, object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" }));
    json(response, 200, { object: "list", url: "/customers", has_more: before ? start > 0 : end < ids.length, data });
  });
  return { ids, flatpeak: createFlatpeakClient({ token: "t", baseUrl: server.baseUrl }) };
}

function cursors(local: LocalServer) {
  return local.requests.map((r) => Object.fromEntries(new URL(r.url, "http://x").searchParams));
}

describe("paginate", () => {
  it("follows starting_after from the last id while has_more", async () => {
    const { ids, flatpeak } = await customersServer(250);
    const seen: string[] = [];
    for await (const customer of paginate(flatpeak, "/customers", { params: { query: { limit: 100 } } })) seen.push(customer.id);
    expect(seen).toEqual(ids);
    expect(cursors(server!)).toEqual([{ limit: "100" }, { limit: "100", starting_after: ids[99] }, { limit: "100", starting_after: ids[199] }]);
  });

  it("walks backwards with ending_before from the first id", async () => {
    const { ids, flatpeak } = await customersServer(50);
    const seen: string[] = [];
    for await (const customer of paginate(flatpeak, "/customers", { params: { query: { limit: 20, ending_before: ids[45]! } } })) seen.push(customer.id);
    expect(seen).toEqual(ids.slice(0, 45).reverse());
    expect(cursors(server!).map((q) => q.ending_before)).toEqual([ids[45], ids[25], ids[5]]);
  });

  it("fetches a page only when the items before it are used up", async () => {
    const { flatpeak } = await customersServer(10_000);
    let count = 0;
    for await (const _customer of paginate(flatpeak, "/customers", { params: { query: { limit: 100 } } })) {
      count++;
      expect(server!.requests.length).toBe(Math.ceil(count / 100));
    }
    expect(count).toBe(10_000);
  });

  it("collects with toArray up to the required limit and stops fetching", async () => {
    const { ids, flatpeak } = await customersServer(500);
    const first = await paginate(flatpeak, "/customers", { params: { query: { limit: 30 } } }).toArray({ limit: 45 });
    expect(first.map((c) => c.id)).toEqual(ids.slice(0, 45));
    expect(server!.requests).toHaveLength(2);
  });

  it.each([undefined, null, {}, { GET: "not a function" }])("refuses %s as the client with a TypeError that says what to pass", (client) => {
    // @ts-expect-error not a client
    expect(() => paginate(client, "/customers")).toThrow(new TypeError('paginate(client, "/customers"): pass the client from createFlatpeakClient first.'));
  });

  it("refuses toArray without a positive whole limit", async () => {
    const { flatpeak } = await customersServer(5);
    const list = paginate(flatpeak, "/customers");
    // @ts-expect-error the limit is required
    await expect(list.toArray()).rejects.toThrow(/toArray\(\) needs \{ limit \}/);
    for (const limit of [0, -1, 2.5, "10", Number.NaN]) {
      await expect(list.toArray({ limit: limit as number })).rejects.toThrow(`toArray() needs { limit }: the most items to collect, a positive integer such as toArray({ limit: 1000 }); got ${String(limit)}.`);
    }
    expect(server!.requests).toHaveLength(0);
  });

  it("throws a FlatpeakError when a page fails", async () => {
    server = await startLocalServer((_request, response) => json(response, 404, { object: "error", type: "invalid_request", code: "not_found" }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const failure = await paginate(flatpeak, "/devices").toArray({ limit: 10 }).catch((error: unknown) => error);
    expect(isFlatpeakError(failure, "not_found")).toBe(true);
    expect(failure).toMatchObject({ kind: "http", method: "GET", status: 404, url: "/devices" });
  });

  it("throws when a page is not a list", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", data: "nope" }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    await expect(paginate(flatpeak, "/events").toArray({ limit: 10 })).rejects.toMatchObject({ kind: "invalid_response" });
  });

  it.each([
    ["repeats the last cursor", [["cus_3", "cus_2", "cus_1"], ["cus_3", "cus_2", "cus_1"]], "cus_1"],
    ["comes back to a cursor already used in this walk", [["cus_6", "cus_5"], ["cus_4", "cus_3"], ["cus_2", "cus_5"]], "cus_5"],
  ])("ends the walk with invalid_response when the next page %s", async (_name, pages, repeated) => {
    let page = 0;
    server = await startLocalServer((_request, response) => {
      const ids = pages[Math.min(page++, pages.length - 1)] ?? [];
      json(response, 200, { object: "list", url: "/customers", has_more: true, data: ids.map((id) => ({ id, object: "customer" })) });
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const failure = await paginate(flatpeak, "/customers").toArray({ limit: 1000 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET", url: server.requests.at(-1)?.url });
    expect((failure as Error).message).toContain("GET /customers answered");
    expect((failure as Error).message).toContain(`"${repeated}"`);
    expect(server.requests).toHaveLength(pages.length);
  });

  it.each<[string, unknown, string]>([
    ["an item without an id on a has_more page", { has_more: true, data: [{ object: "customer" }] }, "an item without an id"],
    ["an item whose id is empty", { has_more: true, data: [{ id: "", object: "customer" }] }, "an item without an id"],
    ["an item whose id is a number", { has_more: true, data: [{ id: 7, object: "customer" }] }, "an item without an id"],
    ["a null item on a has_more page", { has_more: true, data: [null] }, "an item without an id"],
    ["a page without has_more", { data: [] }, "a page without a data array and a has_more flag"],
    ["a page whose has_more is text", { data: [], has_more: "false" }, "a page without a data array and a has_more flag"],
    ["an empty body", null, "a page without a data array and a has_more flag"],
  ])("ends with a typed error for %s", async (_name, page, says) => {
    server = await startLocalServer((_request, response) => json(response, 200, page));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const failure = await paginate(flatpeak, "/customers").toArray({ limit: 10 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET", url: "/customers" });
    expect((failure as Error).message).toBe(`GET /customers answered ${says}${says.startsWith("an item") ? ", so the next page cannot be requested" : ""}`);
    expect(server.requests).toHaveLength(1);
  });

  it("ends the walk when a page points back at the cursor the caller started from", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { has_more: true, data: [{ id: "cus_9" }] }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    const failure = await paginate(flatpeak, "/customers", { params: { query: { starting_after: "cus_9" } } }).toArray({ limit: 10 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response", method: "GET" });
    expect((failure as Error).message).toContain('starting_after cursor "cus_9" was already used');
    expect(server.requests).toHaveLength(1);
  });

  it("stops at a has_more page without items instead of asking forever", async () => {
    server = await startLocalServer((_request, response) => json(response, 200, { object: "list", url: "/customers", has_more: true, data: [] }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    expect(await paginate(flatpeak, "/customers").toArray({ limit: 10 })).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("collects exactly one item with toArray({ limit: 1 }) and fetches one page", async () => {
    const { ids, flatpeak } = await customersServer(50);
    expect((await paginate(flatpeak, "/customers", { params: { query: { limit: 10 } } }).toArray({ limit: 1 })).map((c) => c.id)).toEqual([ids[0]]);
    expect(server!.requests).toHaveLength(1);
  });

  it("pages through the mock of every list path", async () => {
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: inject("mockBaseUrl") });
    const [customers, devices, events, locations, tariffs] = await Promise.all([
      paginate(flatpeak, "/customers").toArray({ limit: 10 }),
      paginate(flatpeak, "/devices").toArray({ limit: 10 }),
      paginate(flatpeak, "/events").toArray({ limit: 10 }),
      paginate(flatpeak, "/locations").toArray({ limit: 10 }),
      paginate(flatpeak, "/tariffs").toArray({ limit: 10 }),
    ]);
    expect([customers[0]?.object, devices[0]?.object, events[0]?.object, locations[0]?.object, tariffs[0]?.object]).toEqual([
      "customer",
      "device",
      "event",
      "location",
      "tariff",
    ]);
  });
});
