import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, ensureCustomer, ensureDevice, ensureLocation } from "../../src/index.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A store of objects by reference_id, answering like Flatpeak; `dropFirstCreate` stores the first object but cuts the connection. */
async function store(prefix: string, options: { dropFirstCreate?: boolean; delayMs?: number; ignoreFilter?: boolean } = {}) {
  const objects = new Map<string, { id: string; reference_id: string }>();
  let creates = 0;
  const collection = `/${{ cus: "customers", loc: "locations", dev: "devices" }[prefix]}`;
  server = await startLocalServer(async (request, response) => {
    const url = new URL(request.url, "http://x");
    if (url.pathname !== collection) return json(response, 404, { object: "error", type: "invalid_request", code: "not_found", message: `No ${url.pathname}` });
    if (request.method === "GET") {
      const found = options.ignoreFilter ? [...objects.values()][0] : objects.get(url.searchParams.get("reference_id") ?? "");
      return json(response, 200, { object: "list", url: url.pathname, has_more: false, data: found ? [found] : [] });
    }
    const { reference_id: referenceId } = JSON.parse(request.body) as { reference_id: string };
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
    if (objects.has(referenceId)) return json(response, 409, { object: "error", type: "conflict", code: "duplicate_reference", message: "Reference ID already exists" });
    const created = { id: `${prefix}_${++creates}`, object: prefix, reference_id: referenceId, live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" };
    objects.set(referenceId, created);
    if (options.dropFirstCreate && creates === 1) {
      response.destroy();
      return;
    }
    json(response, 201, created);
  });
  return { flatpeak: createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 }), objects, creates: () => creates };
}

describe("get-or-create by reference_id", () => {
  it("creates a customer the first time and finds it the second", async () => {
    const { flatpeak, creates } = await store("cus");
    const first = await ensureCustomer(flatpeak, { reference_id: "CUS-1" });
    const again = await ensureCustomer(flatpeak, { reference_id: "CUS-1" });
    expect(again.id).toBe(first.id);
    expect(creates()).toBe(1);
    expect(server?.requests.map((request) => `${request.method} ${request.url}`)).toEqual(["POST /customers", "POST /customers", "GET /customers?reference_id=CUS-1&limit=1"]);
  });

  it("gives two concurrent ensures of one reference the same object, created once", async () => {
    const { flatpeak, creates } = await store("loc", { delayMs: 20 });
    const [a, b] = await Promise.all([
      ensureLocation(flatpeak, { reference_id: "SITE-7", postal_address: { city: "London", country_code: "GB" } }),
      ensureLocation(flatpeak, { reference_id: "SITE-7", postal_address: { city: "London", country_code: "GB" } }),
    ]);
    expect(a.id).toBe(b.id);
    expect(creates()).toBe(1);
    expect(server?.requests.map((request) => `${request.method} ${request.url}`).sort()).toEqual(["GET /locations?reference_id=SITE-7&limit=1", "POST /locations", "POST /locations"]);
  });

  it("finds the device a create made before the connection dropped", async () => {
    const { flatpeak, creates } = await store("dev", { dropFirstCreate: true });
    const device = await ensureDevice(flatpeak, { reference_id: "EVSE-12" });
    expect(device.id).toBe("dev_1");
    expect(creates()).toBe(1);
    expect(server?.requests.map((request) => `${request.method} ${request.url}`)).toEqual(["POST /devices", "GET /devices?reference_id=EVSE-12&limit=1"]);
  });

  it("creates again when a dropped create never happened", async () => {
    let attempts = 0;
    server = await startLocalServer((request, response) => {
      if (request.method === "GET") return json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] });
      if (++attempts === 1) {
        response.destroy();
        return;
      }
      json(response, 201, { id: "cus_9", object: "customer", reference_id: "CUS-9", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_1" });
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
    expect((await ensureCustomer(flatpeak, { reference_id: "CUS-9" })).id).toBe("cus_9");
    expect(attempts).toBe(2);
  });

  it("throws other refusals, and refuses an empty reference before sending", async () => {
    server = await startLocalServer((_request, response) => json(response, 403, { code: "access_denied", message: "No" }));
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl });
    await expect(ensureCustomer(flatpeak, { reference_id: "CUS-1" })).rejects.toMatchObject({ kind: "http", status: 403 });
    for (const reference_id of ["", 5, undefined]) {
      await expect(ensureCustomer(flatpeak, { reference_id: reference_id as string })).rejects.toThrow(
        new TypeError("ensure: reference_id must be a non-empty string; it is what finds the object again."),
      );
    }
    expect(server.requests).toHaveLength(1);
  });

  it("throws a conflict other than a duplicate reference, and a duplicate it cannot find, without creating again", async () => {
    for (const [code, listed] of [["conflict_other", true], ["duplicate_reference", false]] as const) {
      server = await startLocalServer((request, response) => {
        if (request.method === "GET") return json(response, 200, { object: "list", url: "/customers", has_more: false, data: listed ? [{ id: "cus_1" }] : [] });
        json(response, 409, { object: "error", type: "conflict", code, message: "Conflict" });
      });
      const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
      await expect(ensureCustomer(flatpeak, { reference_id: "CUS-1" })).rejects.toMatchObject({ kind: "http", status: 409, code });
      expect(server.requests.filter((request) => request.method === "POST")).toHaveLength(1);
      await server.close();
      server = undefined;
    }
  });

  it.each([
    ["customer", "cus", ensureCustomer],
    ["location", "loc", ensureLocation],
    ["device", "dev", ensureDevice],
  ] as const)("never returns another reference's %s when the lookup ignores its filter", async (_kind, prefix, ensure) => {
    const { flatpeak, objects } = await store(prefix, { ignoreFilter: true });
    objects.set("OTHER", { id: `${prefix}_other`, reference_id: "OTHER" });
    objects.set("MINE", { id: `${prefix}_mine`, reference_id: "MINE" });
    const failure = await ensure(flatpeak, { reference_id: "MINE", location_id: "loc_1" } as never).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 409, code: "duplicate_reference" });
  });

  it("looks for the object after a create that timed out", async () => {
    server = await startLocalServer((request, response) => {
      if (request.method === "GET") return json(response, 200, { object: "list", url: "/customers", has_more: false, data: [{ id: "cus_found", reference_id: "CUS-1" }] });
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 100 });
    expect((await ensureCustomer(flatpeak, { reference_id: "CUS-1" })).id).toBe("cus_found");
    expect(server.requests.map((request) => request.method)).toEqual(["POST", "GET"]);
  });

  it("throws any other failure of the create as it is, without looking", async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(201, { "content-type": "application/json" });
      response.end("<html>");
    });
    const flatpeak = createFlatpeakClient({ token: "t", baseUrl: server.baseUrl, maxRetries: 0 });
    await expect(ensureCustomer(flatpeak, { reference_id: "CUS-1" })).rejects.toMatchObject({ kind: "invalid_response" });
    const failing = new Error("middleware failed");
    flatpeak.use({
      onRequest() {
        throw failing;
      },
    });
    await expect(ensureCustomer(flatpeak, { reference_id: "CUS-1" })).rejects.toBe(failing);
    expect(server.requests.map((request) => request.method)).toEqual(["POST"]);
  });
});
