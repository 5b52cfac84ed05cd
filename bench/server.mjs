/**
 * Loopback HTTP server with canned, spec-shaped answers for the benchmarks:
 * a customer, a page of customers, a meter batch receipt, a login (and the
 * account and product routes the older SDK calls), lists of any length for
 * pagination, and the same after 5 ms under `/slow`. Run as a script, it
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
  const server = createServer((request, response) => {
    const slow = request.url?.startsWith(`${SLOW_PREFIX}/`) ?? false;
    const url = new URL((slow ? request.url?.slice(SLOW_PREFIX.length) : request.url) ?? "/", "http://bench");
    const delayMs = slow ? SLOW_DELAY_MS : 0;
    let body = CUSTOMER;
    if (url.pathname === "/login") body = LOGIN;
    else if (url.pathname === "/account") body = ACCOUNT;
    else if (url.pathname === "/customers") body = page(url, listLength);
    else if (url.pathname === "/meters/interval" || url.pathname.startsWith("/products/")) body = BATCH;
    request.resume();
    request.on("end", () => {
      const answer = () => {
        response.writeHead(200, { "content-type": "application/json", "flatpeak-version": "2025-09-14.anode" });
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
