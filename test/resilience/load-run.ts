/**
 * Child program of load.test.ts: 1,000 concurrent calls, sixteen times over,
 * through one client against a loopback server in this process. It prints a
 * JSON summary and then must exit on its own: a leaked socket or timer would
 * keep it alive.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFlatpeakClient } from "../../src/index.js";

const CONCURRENT = 1_000;
/** Rounds before the heap is first measured: connection pools and compiled code settle in these. */
const WARM_UP_ROUNDS = 4;
const MEASURED_ROUNDS = 12;
/** Rounds at each end of the measured ones whose median heaps are compared; medians ignore one-off heap resizing. */
const COMPARED_ROUNDS = 4;
let logins = 0;

const server = createServer((request, response) => {
  if (request.url === "/login") {
    logins++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ bearer_token: "load-token", expires_in: 3600, live_mode: false }));
    return;
  }
  const id = request.url?.split("/").pop() ?? "";
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ id, object: "customer", live_mode: false, time_created: "2024-01-01T00:00:00Z", account_id: "acc_load" }));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

const flatpeak = createFlatpeakClient({ accountId: "acc_load", apiKey: "key", baseUrl: `http://127.0.0.1:${port}` });
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Heap in use once garbage, including objects freed by finalizers, is collected. */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function round(): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => flatpeak.GET("/customers/{id}", { params: { path: { id: `cus_${i}` } } })),
  );
  return results.filter((result, i) => result.data?.id === `cus_${i}`).length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

let answered = 0;
for (let i = 0; i < WARM_UP_ROUNDS; i++) answered += await round();
const heaps: number[] = [];
for (let i = 0; i < MEASURED_ROUNDS; i++) {
  answered += await round();
  heaps.push(await settledHeap());
}
const heapGrowthBytes = median(heaps.slice(-COMPARED_ROUNDS)) - median(heaps.slice(0, COMPARED_ROUNDS));

server.closeAllConnections();
await new Promise<void>((resolve) => server.close(() => resolve()));
console.log(JSON.stringify({ calls: CONCURRENT * (WARM_UP_ROUNDS + MEASURED_ROUNDS), answered, logins, heapGrowthBytes }));
