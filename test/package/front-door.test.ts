/**
 * The front door: the main entry exports the plugins, the memory store and
 * the price helpers, and 1.0.0's subpaths `/limits`, `/events`, `/fleet`,
 * `/store` and `/prices` keep working as aliases of the very same objects.
 */
import { describe, expect, it } from "vitest";
import * as main from "../../src/index.js";
import * as events from "../../src/events/index.js";
import * as fleet from "../../src/fleet/index.js";
import * as limits from "../../src/limits/index.js";
import * as prices from "../../src/prices/index.js";
import * as store from "../../src/store/index.js";

describe("the main entry", () => {
  it.each<[string, Record<string, unknown>]>([
    ["flatpeak-client/limits", limits],
    ["flatpeak-client/events", events],
    ["flatpeak-client/fleet", fleet],
    ["flatpeak-client/store", store],
    ["flatpeak-client/prices", prices],
  ])("exports every value of %s, the same object", (_subpath, entry) => {
    const names = Object.keys(entry);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect((main as Record<string, unknown>)[name], name).toBe(entry[name]);
  });

  it("holds the plugins, the memory store and the price helpers", () => {
    for (const name of ["callLimits", "callEvents", "tokenStore", "createMemoryStore", "createPriceCache", "cheapestWindow", "priceIntervals"]) {
      expect(typeof (main as Record<string, unknown>)[name], name).toBe("function");
    }
  });
});
