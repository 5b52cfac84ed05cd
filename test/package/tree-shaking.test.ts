/**
 * What an app's production bundle holds: importing the client pulls in none
 * of the helpers, the webhook entry or the testing kit, and each plugin,
 * store and price helper of the front door comes only with its import.
 */
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    minify: false,
    write: false,
    logLevel: "silent",
    tsconfig: `${ROOT}tsconfig.json`,
  });
  return result.outputFiles[0]?.text ?? "";
}

const TESTING = ["mock_token_", "wsk_test_signer", "MOCK_OPERATIONS", "flatpeak-client/testing"];
const WEBHOOKS = ["Flatpeak-Signature", "RSA-PSS"];
const STORES = ["FlatpeakStore.set", "createMemoryStore", "redis.call"];
const PLUGINS = ["ran out of its deadline", "call_start", "flatpeak.client.call.duration", "@opentelemetry/api"];
const FLEET = ["flatpeak:token:"];
const PRICES = ["flatpeak:prices:", "two intervals overlap"];

describe("tree shaking", () => {
  it("leaves the testing kit, the webhook entry and the helpers out of an app that imports the client", async () => {
    const app = await bundle(`import { createFlatpeakClient } from "flatpeak-client"; console.log(createFlatpeakClient({ token: "t" }));`);
    expect(app).toContain("Flatpeak-Version");
    for (const marker of [...TESTING, ...WEBHOOKS, ...STORES, ...PLUGINS, ...FLEET, ...PRICES, "fp_cot", "batch id", "has_more"]) expect(app, marker).not.toContain(marker);
  });

  it("leaves the testing kit out of an app that verifies webhooks", async () => {
    const app = await bundle(`import { createWebhookVerifier } from "flatpeak-client/webhooks"; console.log(createWebhookVerifier());`);
    expect(app).toContain("RSA-PSS");
    for (const marker of [...TESTING, ...STORES]) expect(app, marker).not.toContain(marker);
  });

  it("bundles the Redis adapter only into an app that imports it, and no webhook code with it", async () => {
    const memory = await bundle(`import { createMemoryStore } from "flatpeak-client"; console.log(createMemoryStore());`);
    expect(memory).toContain("createMemoryStore");
    expect(memory).not.toContain("redis.call");
    const redis = await bundle(`import { createRedisStore } from "flatpeak-client/redis"; console.log(createRedisStore);`);
    expect(redis).toContain("redis.call");
    for (const marker of [...WEBHOOKS, ...TESTING, "createMemoryStore"]) expect(redis, marker).not.toContain(marker);
  });

  it("bundles each plugin only into an app that uses it, and OpenTelemetry only with tracing", async () => {
    const limits = await bundle(`import { callLimits } from "flatpeak-client"; console.log(callLimits());`);
    expect(limits).toContain("ran out of its deadline");
    const events = await bundle(`import { callEvents } from "flatpeak-client"; console.log(callEvents);`);
    expect(events).toContain("call_start");
    for (const app of [limits, events]) for (const marker of ["flatpeak.client.call.duration", "@opentelemetry/api", ...WEBHOOKS]) expect(app, marker).not.toContain(marker);
    const otel = await bundle(`import { tracing } from "flatpeak-client/otel"; console.log(tracing);`);
    expect(otel).toContain("flatpeak.client.call.duration");
    expect(otel).not.toContain("call_start");
  });

  it("bundles the shared token and the price cache only into apps that use them, each without the other", async () => {
    const fleet = await bundle(`import { tokenStore } from "flatpeak-client"; console.log(tokenStore);`);
    expect(fleet).toContain("flatpeak:token:");
    for (const marker of [...PRICES, ...WEBHOOKS, "redis.call"]) expect(fleet, marker).not.toContain(marker);
    const cache = await bundle(`import { createPriceCache } from "flatpeak-client"; console.log(createPriceCache);`);
    expect(cache).toContain("flatpeak:prices:");
    for (const marker of [...FLEET, ...WEBHOOKS, "redis.call", "two intervals overlap"]) expect(cache, marker).not.toContain(marker);
    const window = await bundle(`import { cheapestWindow } from "flatpeak-client"; console.log(cheapestWindow);`);
    expect(window).toContain("two intervals overlap");
    for (const marker of ["flatpeak:prices:", "FlatpeakError", ...WEBHOOKS]) expect(window, marker).not.toContain(marker);
  });

  it("bundles a production client of the front door — limits, events, the shared token — without prices, webhooks or the testing kit", async () => {
    const app = await bundle(`import { callEvents, callLimits, createFlatpeakClient, tokenStore } from "flatpeak-client"; console.log(createFlatpeakClient, callLimits, callEvents, tokenStore);`);
    for (const marker of ["ran out of its deadline", "call_start", "flatpeak:token:"]) expect(app, marker).toContain(marker);
    for (const marker of [...PRICES, ...WEBHOOKS, ...TESTING, "\"createMemoryStore\"", "redis.call", "@opentelemetry/api"]) expect(app, marker).not.toContain(marker);
  });

  it("bundles a helper only when the app uses it", async () => {
    const app = await bundle(`import { startConnect } from "flatpeak-client"; console.log(startConnect);`);
    expect(app).toContain("fp_cot");
    expect(app).not.toContain("batch id");
  });

  it("bundles pagination only into an app that paginates", async () => {
    const app = await bundle(`import { createFlatpeakClient, paginate } from "flatpeak-client"; console.log(paginate(createFlatpeakClient({ token: "t" }), "/customers"));`);
    expect(app).toContain("has_more");
  });
});
