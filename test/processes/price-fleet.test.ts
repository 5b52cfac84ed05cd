/**
 * Price caches in 4 real processes (`price-worker.ts`) sharing one real
 * Redis (started here), against a loopback API whose prices the test
 * changes: an invalidation by one process reaches every other within a
 * second, and a request under way when it came — in a process running or
 * paused with SIGSTOP — never writes or serves what it brings.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildProgram, startProgram, type RunningProgram } from "../helpers/child-program.js";
import { json, startLocalServer, type LocalServer } from "../helpers/local-server.js";
import { describeWithRedis, startRedis, type RunningRedis } from "../helpers/redis.js";

const HALF_HOUR = 1_800_000;

describeWithRedis("a fleet of price caches sharing Redis", () => {
  let redis: RunningRedis;
  let program: string;
  let api: LocalServer;
  let inspect: Redis;
  let value = 1;
  /** Price requests the API holds until the test releases them. */
  let holding = false;
  const held: Array<() => void> = [];
  const running: RunningProgram[] = [];

  beforeAll(async () => {
    [redis, program] = await Promise.all([startRedis(), buildProgram("test/processes/price-worker.ts")]);
    inspect = new Redis(redis.url);
    api = await startLocalServer((request, response) => {
      const window = JSON.parse(request.body || "{}") as { start_time: string; end_time: string };
      const from = Date.parse(window.start_time);
      const answer = (at: number) => {
        const data = Array.from({ length: (Date.parse(window.end_time) - from) / HALF_HOUR }, (_, i) => ({ valid_from: new Date(from + i * HALF_HOUR).toISOString(), valid_to: new Date(from + (i + 1) * HALF_HOUR).toISOString(), price: { value: at, confidence: 1 } }));
        json(response, 200, { id: "prs_1", object: "price", live_mode: false, location_id: request.url.split("/")[2], location_timezone: "Europe/London", currency_code: "GBP", tariff_direction: "IMPORT", last_updated: new Date().toISOString(), next_update: new Date(Date.now() + 30 * 60_000).toISOString(), request: window, data, account_id: "acc_1" });
      };
      const at = value;
      if (holding) held.push(() => answer(at));
      else answer(at);
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((worker) => worker.kill()));
    await inspect?.quit();
    await api?.close();
    await redis?.stop();
  });

  async function workers(count: number) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const started = startProgram(program, { REDIS_URL: redis.url, API_URL: api.baseUrl });
        running.push(started);
        const port = (await started.line((line) => line.startsWith("listening "))).split(" ")[1];
        const base = `http://127.0.0.1:${port}`;
        return {
          process: started,
          ask: async (location: string) => (await (await fetch(`${base}/ask?location=${location}`)).json()) as { value: number; fromCache: boolean; stale: boolean },
          invalidate: async (location: string) => (await fetch(`${base}/invalidate?location=${location}`, { method: "POST" })).status,
        };
      }),
    );
  }
  const priceRequests = () => api.requests.filter((request) => request.url.startsWith("/prices/")).length;
  const storedValue = async (location: string) => (JSON.parse((await inspect.get(`flatpeak:prices:${location}:IMPORT`)) ?? "{}") as { entry?: { data: number[][] } }).entry?.data[0]?.[2];

  it("reaches all 4 processes within a second of an invalidation answered by one of them", async () => {
    const fleet = await workers(4);
    value = 1;
    const before = priceRequests();
    for (const worker of fleet) expect((await worker.ask("loc_reach")).value).toBe(1);
    expect(priceRequests() - before).toBe(1);
    value = 2;
    expect(await fleet[0]?.invalidate("loc_reach")).toBe(200);
    const invalidatedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (performance.now() - invalidatedAt))));
    const answers = await Promise.all(fleet.map((worker) => worker.ask("loc_reach")));
    expect(answers.map((answer) => answer.value)).toEqual([2, 2, 2, 2]);
    expect(priceRequests() - before).toBeLessThanOrEqual(5);
  }, 30_000);

  it("never writes or serves what a request under way at the invalidation brings, in a running or a paused process", async () => {
    const [a, b, c] = await workers(3);
    for (const paused of [false, true]) {
      const location = paused ? "loc_paused" : "loc_running";
      value = 1;
      holding = true;
      const underWay = b!.ask(location);
      await expect.poll(() => held.length, { timeout: 5_000 }).toBe(1);
      if (paused) b!.process.child.kill("SIGSTOP");
      value = 3;
      holding = false;
      expect(await a!.invalidate(location)).toBe(200);
      held.shift()?.();
      expect((await c!.ask(location)).value).toBe(3);
      if (paused) {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        b!.process.child.kill("SIGCONT");
      }
      expect((await underWay).value, location).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await storedValue(location), location).toBe(3);
      expect((await a!.ask(location)).value, location).toBe(3);
    }
  }, 30_000);
});
