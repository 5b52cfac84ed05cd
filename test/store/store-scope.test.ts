/**
 * Which stores serve one process and which a fleet, as the price cache tells
 * them apart when it listens to a router: a mark on the store that any copy
 * of the package reads, and the router's record of its claims store.
 */
import { describe, expect, it } from "vitest";
import { createFlatpeakClient } from "../../src/index.js";
import { createPriceCache } from "../../src/prices/index.js";
import { createMemoryStore, type FlatpeakStore } from "../../src/store/index.js";
import { claimsStoreOf, isShared, processLocal, withClaimsStore } from "../../src/store/store-scope.js";
import { createMockFlatpeak } from "../../src/testing/index.js";
import { createEventRouter } from "../../src/webhooks/index.js";

/** A store as another copy of the package (another version, a second bundle) marks its memory store. */
function markedByAnotherCopy(): FlatpeakStore {
  const store = { ...createMemoryStore() };
  return Object.defineProperty(store, Symbol.for("flatpeak-client.process-local-store"), { value: true });
}

const priceCache = () => createPriceCache(createFlatpeakClient({ token: "t", fetch: createMockFlatpeak().fetch }));

describe("store scope", () => {
  it("takes a memory store of this copy or of another as one process's, and any other store as shared", () => {
    expect(isShared(createMemoryStore())).toBe(false);
    expect(isShared(markedByAnotherCopy())).toBe(false);
    expect(isShared({ ...createMemoryStore() })).toBe(true);
    const marked = processLocal({ ...createMemoryStore() });
    expect([isShared(marked), Object.keys(marked)]).toEqual([false, ["get", "set", "setIfEquals", "deleteIfEquals"]]);
  });

  it("reads a router's claims store as recorded by this copy or another, and none from anything else", () => {
    const store = createMemoryStore();
    const router = createEventRouter({ store });
    expect(claimsStoreOf(router)).toBe(store);
    expect(claimsStoreOf(createEventRouter())).toBeUndefined();
    const recorded = withClaimsStore({}, store);
    expect([claimsStoreOf(recorded), Object.keys(recorded)]).toEqual([store, []]);
    const byAnotherCopy = Object.defineProperty({}, Symbol.for("flatpeak-client.claims-store"), { value: store });
    expect(claimsStoreOf(byAnotherCopy)).toBe(store);
    expect([claimsStoreOf(null), claimsStoreOf(undefined), claimsStoreOf({})]).toEqual([undefined, undefined, undefined]);
  });

  it("lets a cache without a store listen to a router without claims, or with claims in a memory store of another copy", () => {
    const prices = priceCache();
    const withoutClaims = createEventRouter();
    expect(prices.listenTo(withoutClaims)).toBe(withoutClaims);
    const onOtherCopysMemory = createEventRouter({ store: markedByAnotherCopy() });
    expect(prices.listenTo(onOtherCopysMemory)).toBe(onOtherCopysMemory);
  });
});
