/**
 * A fleet of real processes sharing their login through tokenStore on a
 * real Redis (started here), against a loopback API that counts logins and
 * refuses a token used with another API key than the one it was issued to.
 * Each test decides its outcome instead of hoping for a fast machine: store
 * bounds far above any answer time where one login is the outcome, a store
 * held on purpose where the documented race is, and the workers stopped by
 * the test once what it waits for has happened.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildProgram, startProgram } from "../helpers/child-program.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";
import { describeWithRedis, startRedis, type RunningRedis } from "../helpers/redis.js";

interface Summary {
  calls: number;
  answered: number;
  login: number;
  token_shared: number;
  token_store_failed: number;
}

/** Store bounds no answer of a real Redis comes near, so that no process logs in by itself on a slow machine. */
const PATIENT = { WAIT_MS: "10000", LOCK_MS: "30000" };
const REVOKED_KEY = "sk_test_revoked";

describeWithRedis("a fleet of processes sharing one login through Redis", () => {
  let program: string;
  let api: LocalServer;
  let expiresIn = 3600;
  /** The API key each token was issued to. */
  const issued = new Map<string, string>();
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "token-fleet-"));
    program = await buildProgram("test/processes/fleet-worker.ts");
    api = await startLocalServer((request, response) => {
      if (request.url === "/login") {
        const apiKey = Buffer.from((request.headers.authorization ?? "").slice("Basic ".length), "base64").toString().split(":")[1] ?? "";
        if (apiKey === REVOKED_KEY) return json(response, 403, { object: "error", type: "invalid_request", code: "access_denied", message: "key revoked" });
        const token = `fleet_token_${issued.size + 1}`;
        issued.set(token, apiKey);
        return json(response, 200, { bearer_token: token, expires_in: expiresIn, live_mode: false });
      }
      const token = request.headers.authorization?.slice("Bearer ".length) ?? "";
      if (issued.get(token) !== request.headers["x-worker-key"]) return json(response, 403, { object: "error", type: "invalid_request", code: "access_denied", message: "not this key's token" });
      json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] });
    });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Runs one worker per entry of `workers` (its environment) on `redis`; `during` runs once each has made its first call. */
  async function runFleet(redis: RunningRedis, workers: Array<Record<string, string>>, during?: () => Promise<void>): Promise<Summary[]> {
    const running = workers.map((env) => startProgram(program, { REDIS_URL: redis.url, API_URL: api.baseUrl, ...env }));
    try {
      await Promise.all(running.map((worker) => worker.line((line) => line === "ready", 30_000)));
      await during?.();
      return await Promise.all(running.map(async (worker) => JSON.parse(await worker.line((line) => line.startsWith("{"), 60_000)) as Summary));
    } finally {
      await Promise.all(running.map((worker) => worker.kill()));
    }
  }
  const logins = () => api.requests.filter((request) => request.url === "/login").length;
  const eight = (env: Record<string, string>) => Array.from({ length: 8 }, () => env);
  const stopFile = (name: string) => join(folder, name);
  const fresh = (value = 3600) => {
    api.requests.length = 0;
    issued.clear();
    expiresIn = value;
  };

  it("logs in once for 8 processes × 200 calls on a cold store, and answers every call", async () => {
    const redis = await startRedis();
    try {
      fresh();
      const summaries = await runFleet(redis, eight({ CALLS: "200", ...PATIENT }));
      expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(200));
      expect(logins()).toBe(1);
      expect(summaries.map((summary) => summary.login + summary.token_shared).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("logs in twice when one process's store holds its answers past waitMs: that process logs in by itself, as documented", async () => {
    const redis = await startRedis();
    try {
      fresh();
      const summaries = await runFleet(redis, [...eight({ CALLS: "100", ...PATIENT }).slice(1), { CALLS: "100", STALL_STORE: "1", WAIT_MS: "300" }]);
      expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(100));
      expect(logins()).toBe(2);
      expect(summaries.at(-1)).toMatchObject({ login: 1, token_shared: 0 });
      expect(summaries.at(-1)?.token_store_failed).toBeGreaterThan(0);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("renews once for all 8 when the token runs out mid-run", async () => {
    const redis = await startRedis();
    try {
      // The token is renewed 8 to 10 s after the first login; the workers stop a second after that renewal, 8 s or more before the next one.
      fresh(20);
      const STOP_FILE = stopFile("renewed");
      const summaries = await runFleet(redis, eight({ STOP_FILE, INTERVAL_MS: "30", ...PATIENT }), async () => {
        while (logins() < 2) await new Promise((resolve) => setTimeout(resolve, 100));
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        writeFileSync(STOP_FILE, "");
      });
      expect(summaries.every((summary) => summary.answered === summary.calls)).toBe(true);
      expect(logins()).toBe(2);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("never shares a token between two API keys of one account, and serves none to a refused key", async () => {
    const redis = await startRedis();
    try {
      fresh();
      const keys = ["sk_live_fleet", "sk_test_fleet", REVOKED_KEY];
      const summaries = await runFleet(redis, keys.flatMap((API_KEY) => Array.from({ length: 3 }, () => ({ API_KEY, CALLS: "50", ...PATIENT }))));
      expect(summaries.map((summary) => summary.answered)).toEqual([50, 50, 50, 50, 50, 50, 0, 0, 0]);
      expect([...issued.values()].sort()).toEqual(["sk_live_fleet", "sk_test_fleet"]);
      expect(api.requests.filter((request) => request.url !== "/login").length).toBe(6 * 50);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("keeps every call working, with logins of each process's own, when Redis is killed mid-run", async () => {
    const redis = await startRedis();
    fresh(2);
    const summaries = await runFleet(redis, eight({ CALLS: "100", INTERVAL_MS: "30" }), () => redis.kill());
    expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(100));
    expect(summaries.every((summary) => summary.token_store_failed > 0)).toBe(true);
    expect(logins()).toBeGreaterThan(2);
  }, 60_000);
});
