/**
 * Child program of price-fleet.test.ts: one process of a fleet whose price
 * cache shares a real Redis. It serves its cache on a loopback port:
 * `GET /ask?location=…` answers the cache's answer for the next hour as
 * JSON (`value` of its first interval, `fromCache`, `stale`), and
 * `POST /invalidate?location=…` invalidates, answering once that is
 * recorded. Prints `listening <port>` once it serves.
 *
 * Environment: REDIS_URL, API_URL.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { createFlatpeakClient } from "../../src/index.js";
import { createPriceCache } from "../../src/prices/index.js";
import { createRedisStore } from "../../src/redis/index.js";

const redis = await createClient({ url: process.env.REDIS_URL ?? "" }).on("error", () => undefined).connect();
const flatpeak = createFlatpeakClient({ token: "price-fleet", baseUrl: process.env.API_URL, maxRetries: 0 });
const prices = createPriceCache(flatpeak, { store: createRedisStore(redis), refreshSpreadMs: 0 });

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const locationId = url.searchParams.get("location") ?? "loc_1";
  const work =
    url.pathname === "/invalidate"
      ? prices.invalidate(locationId).then(() => ({ invalidated: locationId }))
      : prices.get({ locationId, end: Date.now() + 3_600_000 }).then(({ intervals, fromCache, stale }) => ({ value: intervals[0]?.value, fromCache, stale }));
  work.then(
    (body) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)),
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
