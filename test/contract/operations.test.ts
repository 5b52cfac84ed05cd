/**
 * Contract suite: every operation of the vendored spec is called through the
 * client against the Prism mock (request validation on), once per documented
 * status. Prism flags no request as invalid, every raw response conforms to
 * the spec, and the client's narrowed result matches the status.
 */
import { describe, expect, inject, it } from "vitest";
import { createFlatpeakClient, type FlatpeakErrorCodes } from "../../src/index.js";
import { documentedStatuses, responseViolations, specOperations } from "../helpers/spec.js";
import { operationCalls } from "./calls.js";

const baseUrl = inject("mockBaseUrl");

/** What the mock sent, before the client touched it. */
interface RawExchange {
  status: number;
  violations: string | null;
  body: string;
}

function recordingClient(token = "test-token") {
  const exchanges: RawExchange[] = [];
  const client = createFlatpeakClient({
    token,
    baseUrl,
    maxRetries: 0,
    fetch: async (request, init) => {
      const response = await fetch(request, init);
      exchanges.push({ status: response.status, violations: response.headers.get("sl-violations"), body: await response.clone().text() });
      return response;
    },
  });
  return { client, exchanges };
}


/** Codes the client types as exact literals for a status. */
const NARROWED_CODES: Partial<Record<number, string[]>> = {
  403: ["access_denied"] satisfies Array<FlatpeakErrorCodes[403]>,
  404: ["not_found"] satisfies Array<FlatpeakErrorCodes[404]>,
  409: ["duplicate_reference"] satisfies Array<FlatpeakErrorCodes[409]>,
  422: ["account_disabled", "pending_connect", "no_tariff_connected", "no_price_data", "api_version_not_supported"] satisfies Array<FlatpeakErrorCodes[422]>,
};

const cases = specOperations().flatMap((operation) => documentedStatuses(operation).map((status) => [operation, status] as const));

describe("coverage of the spec", () => {
  it("has a typed call for every operation, and only for those", () => {
    expect(Object.keys(operationCalls(recordingClient().client)).sort()).toEqual(specOperations().sort());
  });

  it("has a response validator that rejects bodies breaking the spec", () => {
    expect(responseViolations("GET /customers", 200, { object: "list", url: "/customers", has_more: "no", data: [{}] })).toEqual(
      expect.arrayContaining(["/has_more must be boolean", "/data/0 must have required property 'id'"]),
    );
    expect(responseViolations("PATCH /customers/{id}", 403, { object: "error", type: "invalid_request" })).not.toEqual([]);
  });

  it("exercises every documented status of every operation", () => {
    expect(cases.length).toBeGreaterThanOrEqual(specOperations().length * 3);
  });
});

describe.each(cases)("%s answering %i", (operation, status) => {
  // A client of its own for each case: a 429 pauses the whole client it answers.
  it("is valid for the mock, conforms to the spec and is narrowed by the client", async () => {
    const { client, exchanges: raw } = recordingClient();
    const result = await operationCalls(client)[operation]!({ Prefer: `code=${status}` });

    expect(raw).toHaveLength(1);
    expect(raw[0]!.violations).toBeNull();
    expect(raw[0]!.status).toBe(status);
    expect(responseViolations(operation, status, JSON.parse(raw[0]!.body))).toEqual([]);

    expect(result.response.status).toBe(status);
    if (status < 300) {
      expect(result.error).toBeUndefined();
      expect(result.data).toBeDefined();
      return;
    }
    expect(result.data).toBeUndefined();
    expect(result.error).toMatchObject({ status, code: expect.any(String), type: expect.any(String), message: expect.any(String) });
    const narrowed = NARROWED_CODES[status];
    if (narrowed) expect(narrowed).toContain(result.error?.code);
  });
});

describe("requests the mock must reject", () => {
  it("rejects a bearer operation whose Authorization header was lost on the way", async () => {
    const stripAuthorization = (request: Request, init?: RequestInit) => {
      request.headers.delete("Authorization");
      return fetch(request, init);
    };
    const anonymous = createFlatpeakClient({ token: "t", baseUrl, fetch: stripAuthorization });
    const { data, error } = await anonymous.GET("/customers");
    expect(data).toBeUndefined();
    expect(error?.status).toBe(401);
  });

  it("rejects GET /login without HTTP Basic credentials", async () => {
    const { error } = await recordingClient().client.GET("/login");
    expect(error?.status).toBe(401);
  });

  it("rejects a body of the wrong type, and the mock says why", async () => {
    const { client, exchanges } = recordingClient();
    const { error } = await client.PATCH("/customers/{id}", {
      params: { path: { id: "cus_1" } },
      // @ts-expect-error reference_id is a string in the spec
      body: { reference_id: 42 },
    });
    expect(error?.status).toBe(422);
    expect(exchanges[0]?.violations).toContain("reference_id");
  });

  it("rejects a query value outside its documented range", async () => {
    const { error } = await recordingClient().client.GET("/customers", { params: { query: { limit: 1000 } } });
    expect(error?.status).toBe(422);
  });
});
