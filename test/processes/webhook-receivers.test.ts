/**
 * Webhook receivers in separate processes sharing one real Redis (started
 * here), as a fleet runs them: a delivery reaching two at once is handled
 * once; one that failed in A is handled by B; one whose process died
 * mid-handler is handled after the lease; a handler three times longer than
 * its lease runs once, its claim renewed; a receiver paused past its lease
 * (SIGSTOP) writes nothing over the claim of the one that took over; with
 * Redis down the answer is 503.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestEvent, createTestWebhookSigner, type TestWebhookSigner } from "../../src/testing/index.js";
import { buildProgram, startProgram, type RunningProgram } from "../helpers/child-program.js";
import { describeWithRedis, startRedis, type RunningRedis } from "../helpers/redis.js";

const LEASE_MS = 1_000;

describeWithRedis("webhook receivers in several processes sharing Redis", () => {
  let redis: RunningRedis;
  let program: string;
  let signer: TestWebhookSigner;
  let inspect: Redis;
  const running: RunningProgram[] = [];

  beforeAll(async () => {
    [redis, program, signer] = await Promise.all([startRedis(), buildProgram("test/processes/webhook-receiver.ts"), createTestWebhookSigner()]);
    inspect = new Redis(redis.url);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(running.map((receiver) => receiver.kill()));
    await inspect?.quit();
    await redis?.stop();
  });

  /** Starts a receiver process and resolves with the URL it serves. */
  async function receiver(name: string, options: { client?: string; redisUrl?: string } = {}) {
    const started = startProgram(program, { NAME: name, REDIS_URL: options.redisUrl ?? redis.url, CLIENT: options.client ?? "node-redis", JWKS: JSON.stringify(signer.jwks), LEASE_MS: String(LEASE_MS) });
    running.push(started);
    const port = (await started.line((line) => line.startsWith("listening "))).split(" ")[1];
    return { url: `http://127.0.0.1:${port}/webhooks`, process: started };
  }

  /** Delivers `id` (a fresh event, or the same one again) to `url`. */
  async function deliver(url: string, event: ReturnType<typeof createTestEvent>) {
    const body = JSON.stringify(event);
    const response = await fetch(url, { method: "POST", body, headers: await signer.sign(body) });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  const handledBy = (id: string) => inspect.lrange(`test:handled:${id}`, 0, -1);
  const startedIn = (id: string) => inspect.lrange(`test:started:${id}`, 0, -1);
  const eventWith = (label: string) => createTestEvent("device.update", { id: `evt_${label}_${Math.random().toString(36).slice(2)}` });

  it("runs the handlers once when the same delivery reaches two processes at once", async () => {
    const [a, b] = await Promise.all([receiver("A"), receiver("B", { client: "ioredis" })]);
    const event = eventWith("slow");
    const answers = await Promise.all([deliver(a.url, event), deliver(b.url, event)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 503]);
    expect(answers).toContainEqual({ status: 503, body: { error: "in_progress" } });
    expect(await deliver(b.url, event)).toEqual({ status: 200, body: { received: true } });
    expect((await handledBy(event.id)).length).toBe(1);
    expect((await startedIn(event.id)).length).toBe(1);
  }, 30_000);

  it("handles in process B a delivery whose handler failed in process A", async () => {
    const [a, b] = await Promise.all([receiver("A"), receiver("B")]);
    const event = eventWith("fail_in_A");
    expect(await deliver(a.url, event)).toEqual({ status: 500, body: { error: "handler_failed" } });
    expect(await deliver(b.url, event)).toEqual({ status: 200, body: { received: true } });
    expect([await startedIn(event.id), await handledBy(event.id)]).toEqual([["A", "B"], ["B"]]);
  }, 30_000);

  it("handles a delivery after the lease when the process handling it was killed", async () => {
    const [doomed, b] = await Promise.all([receiver("C", { client: "ioredis" }), receiver("B")]);
    const event = eventWith("hang_in_C");
    const lost = deliver(doomed.url, event).catch((error: unknown) => ({ error: String(error) }));
    await expect.poll(() => startedIn(event.id), { timeout: 5_000 }).toEqual(["C"]);
    await doomed.process.kill();
    expect(await lost).toHaveProperty("error");
    expect(await deliver(b.url, event)).toEqual({ status: 503, body: { error: "in_progress" } });
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
    expect(await deliver(b.url, event)).toEqual({ status: 200, body: { received: true } });
    expect(await handledBy(event.id)).toEqual(["B"]);
  }, 30_000);

  it("runs a handler three times longer than its lease once: its claim is renewed while it runs", async () => {
    const [a, b] = await Promise.all([receiver("A"), receiver("B", { client: "ioredis" })]);
    const event = eventWith(`hold_${3 * LEASE_MS}_long`);
    const inA = deliver(a.url, event);
    await expect.poll(() => startedIn(event.id), { timeout: 5_000 }).toEqual(["A"]);
    for (const waitMs of [LEASE_MS + 200, LEASE_MS]) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      expect(await deliver(b.url, event)).toEqual({ status: 503, body: { error: "in_progress" } });
    }
    expect(await inA).toEqual({ status: 200, body: { received: true } });
    expect(await deliver(b.url, event)).toEqual({ status: 200, body: { received: true } });
    expect([await startedIn(event.id), await handledBy(event.id)]).toEqual([["A"], ["A"]]);
    expect(a.process.lines.filter((line) => line.startsWith("error"))).toEqual([]);
  }, 30_000);

  it("lets a receiver paused past its lease write nothing over the claim of the receiver that took over", async () => {
    const [a, b] = await Promise.all([receiver("A"), receiver("B", { client: "ioredis" })]);
    // A's handler ends about a second after it resumes, B's five seconds later: A ends while B holds the claim.
    const event = eventWith("holdA_2300_holdB_6000_paused");
    const key = `flatpeak:event:${event.id}`;
    const inA = deliver(a.url, event);
    await expect.poll(() => startedIn(event.id), { timeout: 5_000 }).toEqual(["A"]);
    a.process.child.kill("SIGSTOP");
    try {
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));
      const inB = deliver(b.url, event);
      await expect.poll(() => startedIn(event.id), { timeout: 5_000 }).toEqual(["A", "B"]);
      const claimOfB = await inspect.get(key);
      expect(claimOfB).toMatch(/^claimed:/);
      a.process.child.kill("SIGCONT");
      await a.process.line((line) => line === `error lease_lost ${event.id}`, 5_000);
      expect(await inA).toEqual({ status: 200, body: { received: true } });
      expect(await inspect.get(key)).toBe(claimOfB);
      expect(await deliver(a.url, event)).toEqual({ status: 503, body: { error: "in_progress" } });
      expect(await inB).toEqual({ status: 200, body: { received: true } });
      expect(await inspect.get(key)).toBe("done");
      expect(await handledBy(event.id)).toEqual(["A", "B"]);
      expect(b.process.lines.filter((line) => line.startsWith("error"))).toEqual([]);
    } finally {
      a.process.child.kill("SIGCONT");
    }
  }, 30_000);

  it("answers 503 while Redis is down, never 200, and handles the redelivery once it is back", async () => {
    const own = await startRedis();
    try {
      const d = await receiver("D", { redisUrl: own.url });
      const event = eventWith("outage");
      await own.kill();
      const started = performance.now();
      expect(await deliver(d.url, event)).toEqual({ status: 503, body: { error: "try_later" } });
      expect(performance.now() - started).toBeLessThan(5_000);
      const back = await startRedis({ port: own.port });
      try {
        await expect.poll(async () => (await deliver(d.url, event)).status, { timeout: 10_000, interval: 200 }).toBe(200);
      } finally {
        await back.stop();
      }
    } finally {
      await own.stop();
    }
  }, 30_000);
});
