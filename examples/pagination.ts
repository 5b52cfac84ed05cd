/**
 * Pagination: iterate every item of a list, collect with a cap, walk
 * backwards, or page by hand.
 */
import { paginate } from "flatpeak-client";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();

// Every item, one page in memory at a time.
let count = 0;
for await (const location of paginate(flatpeak, "/locations", { params: { query: { limit: 100 } } })) {
  count++;
  console.log(`location ${location.id} (${location.postal_address?.post_code ?? "no post code"})`);
}
console.log(`${count} location(s)`);

// Into an array: the cap is required, so a huge list cannot exhaust memory.
const tariffs = await paginate(flatpeak, "/tariffs", { params: { query: { location_id: "loc_641b90b758fb8e6293716e40" } } }).toArray({ limit: 500 });
console.log(`${tariffs.length} tariff(s): ${tariffs.map((t) => `${t.direction}/${t.type}`).join(", ")}`);

// Backwards from a known object: pass ending_before.
const newer = await paginate(flatpeak, "/customers", { params: { query: { ending_before: "cus_65e421d1daa4a24082b4f590" } } }).toArray({ limit: 50 });
console.log(`${newer.length} customer(s) before the cursor`);

// By hand, when you need the page boundaries.
let cursor: string | undefined;
for (let page = 1; ; page++) {
  const { data, error } = await flatpeak.GET("/devices", { params: { query: { limit: 50, ...(cursor ? { starting_after: cursor } : {}) } } });
  if (error) throw new Error(`page ${page} failed: ${error.status} ${error.code}`);
  console.log(`page ${page}: ${data.data.length} device(s)`);
  if (!data.has_more) break;
  cursor = data.data.at(-1)?.id;
}
