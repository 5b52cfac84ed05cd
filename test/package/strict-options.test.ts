import { describe, expect, it } from "vitest";
import { cheapestWindow, createFlatpeakClient, createMemoryStore, createPriceCache, uploadCumulativeReadings, uploadMeterRecords, waitForTariff } from "../../src/index.js";
import { callEvents } from "../../src/events/index.js";
import { tokenStore } from "../../src/fleet/index.js";
import { callLimits } from "../../src/limits/index.js";
import { tracing } from "../../src/otel/index.js";
import { createRedisStore, type RedisClientLike } from "../../src/redis/index.js";
import { createMockFlatpeak, createTestEvent, createTestWebhookSigner } from "../../src/testing/index.js";
import { createEventRouter, createWebhookHandler, createWebhookVerifier } from "../../src/webhooks/index.js";

/** How one options object of the package is given, and what it takes. */
interface Case {
  where: string;
  takes: string;
  /** Makes the thing with `options` added to what it needs. */
  make: (options: Record<string, unknown>) => unknown;
  typo: [string, string];
  elsewhere?: [string, string];
}

const flatpeak = () => createFlatpeakClient({ token: "eyJ.a.b", baseUrl: "http://127.0.0.1:9" });
const signer = () => createTestWebhookSigner();

const CASES: Case[] = [
  { where: "callLimits", takes: "deadlineMs, maxConcurrency", make: (o) => callLimits(o), typo: ["deadline", "deadlineMs"], elsewhere: ["timeoutMs", "createFlatpeakClient({ timeoutMs })"] },
  { where: "callLimits", takes: "deadlineMs, maxConcurrency", make: (o) => callLimits(o), typo: ["maxconcurrency", "maxConcurrency"], elsewhere: ["onEvent", "use: [callEvents({ onEvent })]"] },
  { where: "callEvents", takes: "onEvent", make: (o) => callEvents({ onEvent: () => undefined, ...o }), typo: ["onevent", "onEvent"] },
  { where: "tracing", takes: "tracerProvider, meterProvider", make: (o) => tracing(o), typo: ["tracer", "tracerProvider"] },
  { where: "tokenStore", takes: "waitMs, lockMs", make: (o) => tokenStore(createMemoryStore(), o), typo: ["lockTimeMs", "lockMs"], elsewhere: ["keyPrefix", "createRedisStore(redis, { keyPrefix })"] },
  { where: "createMemoryStore", takes: "maxEntries", make: (o) => createMemoryStore(o), typo: ["maxentries", "maxEntries"] },
  { where: "createRedisStore", takes: "keyPrefix, timeoutMs", make: (o) => createRedisStore({} as RedisClientLike, o), typo: ["prefix", "keyPrefix"] },
  { where: "createPriceCache", takes: "store, maxEntries, minTtlMs, maxTtlMs, graceMs, refreshSpreadMs, maxRefreshesPerSecond, storeTimeoutMs, onStoreError, onRefreshError", make: (o) => createPriceCache(flatpeak(), o), typo: ["ttlMs", "minTtlMs"] },
  { where: "priceCache.get", takes: "locationId, start, end, direction", make: (o) => createPriceCache(flatpeak()).get({ locationId: "loc_1", end: Date.now() + 3_600_000, ...o }), typo: ["tariffDirection", "direction"] },
  { where: "cheapestWindow", takes: "durationMinutes, notBefore, notAfter", make: (o) => cheapestWindow([], { durationMinutes: 60, ...o }), typo: ["duration", "durationMinutes"] },
  { where: "createEventRouter", takes: "store, leaseMs, retentionMs", make: (o) => createEventRouter(o), typo: ["lease", "leaseMs"], elsewhere: ["onStoreError", "router.dispatch(event, { onStoreError })"] },
  { where: "createEventRouter", takes: "store, leaseMs, retentionMs", make: (o) => createEventRouter(o), typo: ["retention", "retentionMs"], elsewhere: ["onError", "createWebhookHandler({ onError })"] },
  { where: "router.dispatch", takes: "onStoreError, signal", make: (o) => createEventRouter().dispatch(createTestEvent("tariff.expired"), o), typo: ["Signal", "signal"], elsewhere: ["leaseMs", "createEventRouter({ leaseMs })"] },
  {
    where: "createWebhookHandler",
    takes: "verifier, router, onError, maxBodyBytes, deadlineMs",
    make: (o) => createWebhookHandler({ verifier: createWebhookVerifier(), router: createEventRouter(), ...o }),
    typo: ["maxBody", "maxBodyBytes"],
    elsewhere: ["jwksUrl", "verifier: createWebhookVerifier({ jwksUrl })"],
  },
  {
    where: "createWebhookHandler",
    takes: "verifier, router, onError, maxBodyBytes, deadlineMs",
    make: (o) => createWebhookHandler({ verifier: createWebhookVerifier(), router: createEventRouter(), ...o }),
    typo: ["onerror", "onError"],
    elsewhere: ["store", "router: createEventRouter({ store })"],
  },
  {
    where: "createWebhookVerifier",
    takes: "jwksUrl, keys, toleranceSeconds, fetch, allowUnsigned, jwksTimeoutMs, jwksCooldownMs",
    make: (o) => createWebhookVerifier(o),
    typo: ["tolerance", "toleranceSeconds"],
    elsewhere: ["maxBodyBytes", "createWebhookHandler({ maxBodyBytes })"],
  },
  { where: "uploadMeterRecords", takes: "batchSize, concurrency, waitForProcessing, pollIntervalMs, processingDeadlineMs, signal", make: (o) => uploadMeterRecords(flatpeak(), [], o), typo: ["batch", "batchSize"] },
  { where: "uploadCumulativeReadings", takes: "batchSize, concurrency, waitForProcessing, pollIntervalMs, processingDeadlineMs, signal", make: (o) => uploadCumulativeReadings(flatpeak(), { location_id: "loc_1", units: "KWH" }, [], o), typo: ["pollMs", "pollIntervalMs"] },
  { where: "waitForTariff", takes: "locationId, tariffDirection, intervalMs, deadlineMs, signal, completed", make: (o) => waitForTariff(flatpeak(), { locationId: "loc_1", ...o }), typo: ["direction", "tariffDirection"] },
  { where: "createMockFlatpeak", takes: "handlers, tokenLifetimeSeconds", make: (o) => createMockFlatpeak(o), typo: ["handler", "handlers"] },
  { where: "createTestWebhookSigner", takes: "kid", make: (o) => createTestWebhookSigner(o), typo: ["KID", "kid"] },
  { where: "signer.sign", takes: "timestamp, kid", make: async (o) => (await signer()).sign("{}", o), typo: ["time", "timestamp"] },
];

/** The message of the `TypeError` that `make` throws or rejects with. */
async function refusal(make: () => unknown): Promise<string> {
  try {
    await make();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as TypeError).message;
  }
  throw new Error("expected a TypeError");
}

describe.each(CASES)("$where", ({ where, takes, make, typo, elsewhere }) => {
  it("refuses a key it does not take, listing the keys it takes", async () => {
    expect(await refusal(() => make({ colour: "blue" }))).toBe(`${where}: unknown option colour; leave it out. It takes ${takes}.`);
  });

  it(`suggests ${typo[1]} for ${typo[0]}`, async () => {
    expect(await refusal(() => make({ [typo[0]]: 1 }))).toBe(`${where}: unknown option ${typo[0]}; did you mean ${typo[1]}? It takes ${takes}.`);
  });

  if (elsewhere === undefined) return;
  const [key, place] = elsewhere;
  it(`says where ${key} belongs`, async () => {
    expect(await refusal(() => make({ [key]: 1 }))).toBe(`${where}: unknown option ${key}; it belongs in ${place}. It takes ${takes}.`);
  });
});

describe("an options object that is not an object", () => {
  it.each<[string, () => unknown, string]>([
    ["callLimits", () => callLimits(null as never), "callLimits: pass an object of { deadlineMs, maxConcurrency }."],
    ["createEventRouter", () => createEventRouter("store" as never), "createEventRouter: pass an object of { store, leaseMs, retentionMs }."],
    ["router.dispatch", () => createEventRouter().dispatch(createTestEvent("tariff.expired"), 5 as never), "router.dispatch: pass an object of { onStoreError, signal }."],
  ])("is refused by %s, which names the keys it takes", async (_where, make, message) => {
    expect(await refusal(make)).toBe(message);
  });
});
