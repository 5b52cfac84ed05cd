/**
 * A fleet of 8 real processes sharing their login through tokenStore on a
 * real Redis (started here), against a loopback API that counts logins: one
 * login for the cold fleet, one renewal when the token runs out mid-run, and
 * calls that keep working with logins of their own when Redis dies.
 */
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

describeWithRedis("a fleet of processes sharing one login through Redis", () => {
  let program: string;
  let api: LocalServer;
  let expiresIn = 3600;
  const issued = new Set<string>();

  beforeAll(async () => {
    program = await buildProgram("test/processes/fleet-worker.ts");
    api = await startLocalServer((request, response) => {
      if (request.url === "/login") {
        const token = `fleet_token_${issued.size + 1}`;
        issued.add(token);
        return json(response, 200, { bearer_token: token, expires_in: expiresIn, live_mode: false });
      }
      const token = request.headers.authorization?.slice("Bearer ".length) ?? "";
      if (!issued.has(token)) return json(response, 403, { object: "error", type: "invalid_request", code: "access_denied", message: "unknown token" });
      json(response, 200, { object: "list", url: "/customers", has_more: false, data: [] });
    });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  /** Runs 8 workers on `redis`; `during` runs once each has made its first call. */
  async function runFleet(redis: RunningRedis, env: Record<string, string>, during?: () => Promise<void>): Promise<Summary[]> {
    const workers = Array.from({ length: 8 }, () => startProgram(program, { REDIS_URL: redis.url, API_URL: api.baseUrl, ...env }));
    try {
      await Promise.all(workers.map((worker) => worker.line((line) => line === "ready", 30_000)));
      await during?.();
      return await Promise.all(workers.map(async (worker) => JSON.parse(await worker.line((line) => line.startsWith("{"), 30_000)) as Summary));
    } finally {
      await Promise.all(workers.map((worker) => worker.kill()));
    }
  }
  const logins = () => api.requests.filter((request) => request.url === "/login").length;

  it("logs in once for 8 processes × 200 calls on a cold store, and answers every call", async () => {
    const redis = await startRedis();
    try {
      api.requests.length = 0;
      expiresIn = 3600;
      const summaries = await runFleet(redis, { CALLS: "200" });
      expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(200));
      expect(logins()).toBeLessThanOrEqual(2);
      expect(logins()).toBe(summaries.reduce((sum, summary) => sum + summary.login, 0));
      expect(summaries.reduce((sum, summary) => sum + summary.token_shared, 0)).toBeGreaterThanOrEqual(8 - logins());
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("renews once for all 8 when the token runs out mid-run", async () => {
    const redis = await startRedis();
    try {
      api.requests.length = 0;
      // Renewal 8 s after the first login, the next one 8 s after that: every worker is done by then.
      expiresIn = 16;
      const summaries = await runFleet(redis, { CALLS: "300", INTERVAL_MS: "30" });
      expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(300));
      expect(logins()).toBe(2);
    } finally {
      await redis.stop();
    }
  }, 60_000);

  it("keeps every call working, with logins of each process's own, when Redis is killed mid-run", async () => {
    const redis = await startRedis();
    api.requests.length = 0;
    expiresIn = 2;
    const summaries = await runFleet(redis, { CALLS: "100", INTERVAL_MS: "30" }, () => redis.kill());
    expect(summaries.map((summary) => summary.answered)).toEqual(Array(8).fill(100));
    expect(summaries.every((summary) => summary.token_store_failed > 0)).toBe(true);
    expect(logins()).toBeGreaterThan(2);
  }, 60_000);
});
