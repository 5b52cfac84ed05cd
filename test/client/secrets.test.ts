import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createFlatpeakClient, paginate } from "../../src/index.js";
import { recordedEvents } from "../helpers/events.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";

const accountId = "acc_secret_account";
const apiKey = "sk_live_DO_NOT_LEAK_1234567890";
const bearer = "eyJ.SECRET_BEARER_TOKEN.sig";
const secrets = [apiKey, btoa(`${accountId}:${apiKey}`), `Basic ${btoa(`${accountId}:${apiKey}`)}`, bearer];

let server: LocalServer;
afterEach(async () => server.close());

/** Every way a thrown value or result can end up in a log. */
function renderings(value: unknown): string[] {
  const error = value as Error;
  return [String(value), JSON.stringify(value), inspect(value, { showHidden: true, depth: Infinity }), error?.stack ?? "", error?.message ?? ""];
}

function expectNoSecret(texts: string[]) {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

async function clientFor(handler: Parameters<typeof startLocalServer>[0], extra: { timeoutMs?: number } = {}) {
  server = await startLocalServer(handler);
  const { events: log, plugin } = recordedEvents();
  const flatpeak = createFlatpeakClient({ accountId, apiKey, baseUrl: server.baseUrl, maxRetries: 1, use: [plugin], ...extra });
  return { flatpeak, log };
}

const loginThen = (answer: Parameters<typeof startLocalServer>[0]): Parameters<typeof startLocalServer>[0] => (request, response) =>
  request.url === "/login" ? json(response, 200, { bearer_token: bearer, expires_in: 3600, live_mode: true }) : answer(request, response);

describe("credentials never leak", () => {
  it("from a refused login", async () => {
    const { flatpeak, log } = await clientFor((_request, response) => json(response, 403, { code: "access_denied", message: "Bad credentials" }));
    const result = await flatpeak.GET("/customers");
    expect(result.error?.status).toBe(403);
    expectNoSecret([...renderings(result.error), JSON.stringify(log)]);
  });

  it("from a rejected token, a re-login and retries", async () => {
    const { flatpeak, log } = await clientFor(loginThen((_request, response) => json(response, 401, { code: "unauthorized" }, { "retry-after": "0" })));
    const result = await flatpeak.GET("/customers");
    expect(result.error?.status).toBe(401);
    expect(log.map((event) => event.type).filter((type) => type === "login" || type === "relogin")).toEqual(["login", "relogin", "login"]);
    expectNoSecret([...renderings(result.error), JSON.stringify(log)]);
  });

  it("from a timeout", async () => {
    const { flatpeak, log } = await clientFor(loginThen(() => undefined), { timeoutMs: 100 });
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "timeout" });
    expectNoSecret([...renderings(failure), JSON.stringify(log)]);
  });

  it("from a network failure", async () => {
    const { flatpeak } = await clientFor(loginThen((_request, response) => {
      response.destroy();
    }));
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "network" });
    expectNoSecret(renderings(failure));
  });

  it("from a login that answers garbage", async () => {
    const { flatpeak } = await clientFor((_request, response) => json(response, 200, { token: "where is bearer_token" }));
    const failure = await flatpeak.GET("/customers").catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "invalid_response" });
    expectNoSecret(renderings(failure));
  });

  it("from a failed page of a paginated read, connect_token values included", async () => {
    const { flatpeak } = await clientFor(loginThen((_request, response) => json(response, 404, { code: "not_found", connect_token: "cot_secret" })));
    const failure = await paginate(flatpeak, "/customers").toArray({ limit: 5 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "http", status: 404 });
    expectNoSecret(renderings(failure));
    expect(renderings(failure).join("\n")).not.toContain("cot_secret");
  });

  it("from a resolved error: connect_token values are masked as in FlatpeakError, and no event holds one", async () => {
    const { flatpeak, log } = await clientFor(
      loginThen((_request, response) => json(response, 503, { code: "expired", message: "Token cot_secret_42 has expired", connect_token: "cot_secret_42" }, { "retry-after": "0" })),
    );
    const { error } = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_42" } } });
    expect(error).toMatchObject({ status: 503, code: "expired", connect_token: "***", message: "Token *** has expired" });
    expect(log.some((event) => event.type === "attempt_end" && event.retryInMs === 0 && event.operation === "GET /connect/tariff/token")).toBe(true);
    expect([...renderings(error), JSON.stringify(log)].join("\n")).not.toContain("cot_secret_42");
  });

  it("from the client object itself", async () => {
    const { flatpeak } = await clientFor(loginThen((_request, response) => json(response, 200, {})));
    expectNoSecret([inspect(flatpeak, { showHidden: true, depth: 4 })]);
  });
});

describe("connect_token values in requests", () => {
  it("are masked in FlatpeakError.url, .message and .body, and in no event, and the cause is kept", async () => {
    let calls = 0;
    const { flatpeak, log } = await clientFor(
      loginThen((_request, response) => {
        calls++;
        if (calls === 1) return json(response, 401, { code: "unauthorized" });
        json(response, 404, { code: "not_found", message: "Unknown token", connect_token: "cot_secret_7", context: "api.connect" }, { "retry-after": "0" });
      }),
    );
    const { error, response } = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_7" } } });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ connect_token: "***", context: "api.connect", code: "not_found" });
    expect(log.map((event) => event.type).filter((type) => type === "login" || type === "relogin")).toEqual(["login", "relogin", "login"]);
    expect(log.find((event) => event.type === "relogin")).toMatchObject({ operation: "GET /connect/tariff/token", status: 401 });
    expect(JSON.stringify(log)).not.toContain("cot_secret_7");
  });

  it("are masked in a network error, which keeps its cause", async () => {
    const { flatpeak } = await clientFor(
      loginThen((_request, response) => {
        response.destroy();
      }),
    );
    const failure = (await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_8" } } }).catch((error: unknown) => error)) as Error & { url: string };
    expect(failure).toMatchObject({ kind: "network", url: "/connect/tariff/token?connect_token=***" });
    expect(failure.message).not.toContain("cot_secret_8");
    expect(failure.cause).toBeInstanceOf(Error);
  });

  it("are masked in an invalid_response error, which keeps the JSON error as its cause", async () => {
    const { flatpeak } = await clientFor(
      loginThen((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{not json");
      }),
    );
    const failure = (await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "cot_secret_9" } } }).catch((error: unknown) => error)) as Error & { url: string };
    expect(failure).toMatchObject({ kind: "invalid_response", url: "/connect/tariff/token?connect_token=***" });
    expect(failure.message).not.toContain("cot_secret_9");
    expect(failure.cause).toBeInstanceOf(SyntaxError);
  });

  it("leave an error untouched when the request's connect_token is empty", async () => {
    const { flatpeak } = await clientFor(loginThen((_request, response) => json(response, 422, { code: "invalid_request", message: "connect_token is required" })));
    const { error } = await flatpeak.GET("/connect/tariff/token", { params: { query: { connect_token: "" } } });
    expect(error?.message).toBe("connect_token is required");
  });
});
