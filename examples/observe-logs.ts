/**
 * Observability, recipe 1: structured logs of every Flatpeak call. The
 * callEvents plugin reports each call's start, each attempt and its end (one
 * id per call, the operation's template, status, Flatpeak code, duration,
 * retries) and each login; here every event becomes one JSON line, as a log
 * shipper wants it. Nothing in an event is a secret.
 */
import { callEvents, createFlatpeakClient, type FlatpeakCallEvent } from "flatpeak-client";
import { askMockFor } from "./support.js";

const lines: string[] = [];
const log = (event: FlatpeakCallEvent) => lines.push(JSON.stringify({ level: event.type === "call_end" && event.outcome !== "ok" ? "warn" : "info", source: "flatpeak", ...event }));

const flatpeak = createFlatpeakClient({
  accountId: process.env.FLATPEAK_ACCOUNT_ID,
  apiKey: process.env.FLATPEAK_API_KEY,
  baseUrl: process.env.FLATPEAK_BASE_URL,
  use: [callEvents({ onEvent: log })],
});

await flatpeak.GET("/customers", { params: { query: { limit: 3 } } });
await flatpeak.GET("/customers/{id}", { params: { path: { id: "cus_does_not_exist" } }, headers: askMockFor(404) });
for (const line of lines) console.log(line);
if (!lines.some((line) => line.includes('"type":"call_end"'))) throw new Error("no call_end event was logged");
