/**
 * Loopback HTTP server with canned, spec-shaped answers for the benchmarks:
 * a customer, a page of customers, a meter batch receipt, the price of the
 * window asked for (next_update at the next whole hour), a login
 * (and the account and product routes the older SDK calls), lists of any
 * length for pagination, and the same after 5 ms under `/slow`. A price of a
 * location whose id starts with `flaky_` is answered 503 (`Retry-After: 0`)
 * the first time it is asked for, as a passing outage. Run as a script, it
 * serves in its own process and prints its base URL.
 *
 * @example
 * const server = await startBenchServer();
 * await fetch(`${server.baseUrl}/customers/cus_1`);
 * await server.close();
 */
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

/** @param {number} i */
export function customer(i) {
  return {
    id: `cus_${String(i).padStart(24, "0")}`,
    object: "customer",
    live_mode: false,
    reference_id: `CUS${i}`,
    locations: [`loc_${String(i).padStart(24, "0")}`],
    time_created: "2024-05-05T05:37:27Z",
    account_id: "acc_65e421bed29d88d9012e0662",
  };
}

const CUSTOMER = JSON.stringify(customer(1));
const BATCH = JSON.stringify({
  id: "bat_65e42b7827c0526548432b9f",
  object: "meter_batch",
  records_submitted: 1000,
  records_accepted: 1000,
  records_processed: 0,
  failed_records: [],
  time_created: "2024-05-05T05:37:27Z",
  account_id: "acc_65e421bed29d88d9012e0662",
});
/** Requests under this prefix are answered after a delay, like a server across the internet. */
const SLOW_PREFIX = "/slow";
const SLOW_DELAY_MS = 5;
const LOGIN = JSON.stringify({ bearer_token: "bench-token", expires_in: 3600, live_mode: false });
const ACCOUNT = JSON.stringify({ id: "acc_65e421bed29d88d9012e0662", object: "account" });
const HALF_HOUR_MS = 1_800_000;
const HOUR_MS = 3_600_000;

/**
 * A price answer for the window a `POST /prices/{id}` body asks for:
 * half-hour intervals, and `next_update` at the first whole hour after its
 * start (the window's first hour by default).
 * @param {string} locationId
 * @param {string} text the request body
 */
function price(locationId, text) {
  /** @type {{ start_time?: string; end_time?: string; tariff_direction?: string }} */
  let window = {};
  try {
    window = JSON.parse(text);
  } catch {}
  const from = Date.parse(window.start_time ?? "2025-01-01T00:00:00Z");
  const to = Math.max(from + HALF_HOUR_MS, Date.parse(window.end_time ?? "") || from + HOUR_MS);
  const first = Math.floor(from / HALF_HOUR_MS) * HALF_HOUR_MS;
  const data = [];
  for (let at = first; at < to; at += HALF_HOUR_MS) {
    data.push({ valid_from: new Date(at).toISOString(), valid_to: new Date(at + HALF_HOUR_MS).toISOString(), price: { value: 0.15 + ((at / HALF_HOUR_MS) % 48) / 200, confidence: 1 } });
  }
  return JSON.stringify({
    id: "prs_65e42cdd73e9f861edda35d7",
    object: "price",
    live_mode: false,
    location_id: locationId,
    location_timezone: "Europe/London",
    currency_code: "GBP",
    tariff_direction: window.tariff_direction ?? "IMPORT",
    last_updated: "2025-01-01T00:00:00Z",
    next_update: new Date(Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS).toISOString(),
    request: window,
    data,
    time_created: "2025-01-01T00:00:00Z",
    account_id: "acc_65e421bed29d88d9012e0662",
  });
}
const UNAVAILABLE = JSON.stringify({ object: "error", type: "api_error", code: "unavailable", message: "Try again" });

/**
 * One page of a list of `total` customers, after the `starting_after` cursor.
 * @param {URL} url
 * @param {number} total
 */
function page(url, total) {
  const limit = Number(url.searchParams.get("limit") ?? 30);
  const after = url.searchParams.get("starting_after");
  const start = after === null ? 0 : Number(after.slice(4)) + 1;
  const end = Math.min(total, start + limit);
  const data = Array.from({ length: Math.max(0, end - start) }, (_, k) => customer(start + k));
  return JSON.stringify({ object: "list", url: "/customers", has_more: end < total, data });
}

/**
 * @param {{ listLength?: number }} [options] length of the `/customers` list
 * @returns {Promise<{ baseUrl: string; close(): Promise<void> }>}
 */
export async function startBenchServer(options = {}) {
  const listLength = options.listLength ?? 100;
  const flakySeen = new Set();
  const server = createServer((request, response) => {
    const slow = request.url?.startsWith(`${SLOW_PREFIX}/`) ?? false;
    const url = new URL((slow ? request.url?.slice(SLOW_PREFIX.length) : request.url) ?? "/", "http://bench");
    const delayMs = slow ? SLOW_DELAY_MS : 0;
    let body = CUSTOMER;
    let status = 200;
    const pricing = url.pathname.startsWith("/prices/");
    if (url.pathname === "/login") body = LOGIN;
    else if (url.pathname.startsWith("/prices/flaky_") && !flakySeen.has(url.pathname)) {
      flakySeen.add(url.pathname);
      [status, body] = [503, UNAVAILABLE];
    } else if (url.pathname === "/account") body = ACCOUNT;
    else if (url.pathname === "/customers") body = page(url, listLength);
    else if (url.pathname === "/meters/interval" || url.pathname.startsWith("/products/")) body = BATCH;
    /** @type {Buffer[]} */
    const chunks = [];
    request.on("data", (chunk) => pricing && chunks.push(chunk));
    request.on("end", () => {
      if (pricing && status === 200) body = price(decodeURIComponent(url.pathname.slice("/prices/".length)), Buffer.concat(chunks).toString());
      const answer = () => {
        response.writeHead(status, { "content-type": "application/json", "flatpeak-version": "2025-09-14.anode", ...(status === 503 ? { "retry-after": "0" } : {}) });
        response.end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const server = await startBenchServer();
  console.log(server.baseUrl);
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
}
