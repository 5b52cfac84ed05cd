/**
 * Shared by the examples: a client configured from the environment, and the
 * hint that makes the mock answer an error status (the real API needs none).
 */
import { createFlatpeakClient, type FlatpeakClient } from "flatpeak-client";

/** A client for FLATPEAK_ACCOUNT_ID / FLATPEAK_API_KEY, at FLATPEAK_BASE_URL when set. */
export function clientFromEnv(): FlatpeakClient {
  return createFlatpeakClient({
    accountId: process.env.FLATPEAK_ACCOUNT_ID,
    apiKey: process.env.FLATPEAK_API_KEY,
    baseUrl: process.env.FLATPEAK_BASE_URL,
  });
}

/** Headers asking the mock for `status`; empty against the real API. */
export function askMockFor(status: number): Record<string, string> {
  return process.env.FLATPEAK_MOCK === "1" ? { Prefer: `code=${status}` } : {};
}
