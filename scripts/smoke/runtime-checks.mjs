// The same checks on every runtime: typed calls against the mock (login, a
// GET, a paginated list, a narrowed 404, a timeout), a verified webhook
// delivery, the in-process mock of the testing kit, and the plugins and
// price helpers of the front door (a login shared through a store, call
// events, a kept price answer, the cheapest window), which 1.0.0's subpaths
// alias. Uses only web APIs, so Node, Deno, Bun and workerd all run it.
import * as frontDoor from "flatpeak-client";
import { callEvents, callLimits, cheapestWindow, createFlatpeakClient, createMemoryStore, createPriceCache, isFlatpeakError, paginate, tokenStore } from "flatpeak-client";
import * as events from "flatpeak-client/events";
import * as fleet from "flatpeak-client/fleet";
import * as limits from "flatpeak-client/limits";
import * as pricesEntry from "flatpeak-client/prices";
import * as storeEntry from "flatpeak-client/store";
import { createMockFlatpeak, createTestEvent, createTestWebhookSigner } from "flatpeak-client/testing";
import { createWebhookVerifier } from "flatpeak-client/webhooks";

/**
 * @param {{ baseUrl: string; hangUrl: string }} urls the mock, and a server that never answers
 * @returns {Promise<string[]>} what passed
 */
export async function runChecks({ baseUrl, hangUrl }) {
  const passed = [];
  const check = (ok, what) => {
    if (!ok) throw new Error(`failed: ${what}`);
    passed.push(what);
  };
  const flatpeak = createFlatpeakClient({ accountId: "acc_smoke", apiKey: "key", baseUrl });
  const customer = await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
  check(customer.data?.object === "customer", "login and a GET");
  const page = await paginate(flatpeak, "/locations").toArray({ limit: 5 });
  check(page.length > 0 && page[0].object === "location", "a paginated list");
  const missing = await flatpeak.GET("/devices/{id}", { params: { path: { id: "dev_1" } }, headers: { Prefer: "code=404" } });
  check(missing.error?.status === 404 && missing.error.code === "not_found", "a narrowed 404");
  const slow = createFlatpeakClient({ token: "t", baseUrl: hangUrl, timeoutMs: 300, maxRetries: 0 });
  const failure = await slow.GET("/customers").then(() => undefined, (error) => error);
  check(isFlatpeakError(failure) && failure.kind === "timeout", "a timeout");

  const signer = await createTestWebhookSigner();
  const verifier = createWebhookVerifier({ keys: signer.jwks });
  const body = JSON.stringify(createTestEvent("tariff.expired"));
  const headers = await signer.sign(body);
  const event = await verifier.verify(body, headers);
  check(event.type === "tariff.expired", "a signed webhook delivery verified");
  const tampered = await verifier.verify(body.replace("expired", "expiring"), headers).then(() => undefined, (error) => error);
  check(tampered?.reason === "bad_signature", "a tampered delivery refused");

  const mock = createMockFlatpeak();
  mock.once("GET /customers/{id}", mock.error(404));
  const mocked = createFlatpeakClient({ accountId: "acc_test", apiKey: "key", fetch: mock.fetch });
  const gone = await mocked.GET("/customers/{id}", { params: { path: { id: "cus_gone" } } });
  const found = await mocked.GET("/customers/{id}", { params: { path: { id: "cus_1" } } });
  check(gone.error?.code === "not_found" && found.data?.object === "customer" && mock.calls.length === 3, "the in-process mock");

  const store = createMemoryStore();
  const seen = [];
  const fleetMock = createMockFlatpeak();
  const worker = () => createFlatpeakClient({ accountId: "acc_fleet", apiKey: "key", fetch: fleetMock.fetch, use: [tokenStore(store), callLimits({ maxConcurrency: 2 }), callEvents({ onEvent: (event) => seen.push(event.type) })] });
  await worker().GET("/customers");
  await worker().GET("/customers");
  check(fleetMock.calls.filter((call) => call.operation === "GET /login").length === 1 && seen.includes("token_shared") && seen.includes("call_end"), "one login shared through a store, with call events");
  const prices = createPriceCache(worker());
  const question = { locationId: "loc_1", end: Date.now() + 3_600_000 };
  const [asked, kept] = [await prices.get(question), await prices.get(question)];
  check(!asked.fromCache && kept.fromCache && fleetMock.calls.filter((call) => call.operation === "POST /prices/{id}").length === 1, "a price answer kept");
  const window = cheapestWindow([{ start: new Date(0), end: new Date(3_600_000), value: 1 }, { start: new Date(3_600_000), end: new Date(7_200_000), value: 0.5 }], { durationMinutes: 60 });
  check(window?.average === 0.5 && window.start.getTime() === 3_600_000, "the cheapest window");
  const aliases = [events, fleet, limits, pricesEntry, storeEntry];
  check(aliases.every((entry) => Object.keys(entry).length > 0 && Object.entries(entry).every(([name, value]) => frontDoor[name] === value)), "1.0.0's subpaths alias the front door");
  return passed;
}
