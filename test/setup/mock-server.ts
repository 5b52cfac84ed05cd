/**
 * Vitest global setup: one Prism mock of the vendored spec for the whole run,
 * on a free loopback port, stopped when the run ends, fails or is interrupted.
 */
import type { TestProject } from "vitest/node";
import { startMock } from "../../scripts/mock.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock started for this test run. */
    mockBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mock = await startMock();
  project.provide("mockBaseUrl", mock.baseUrl);
  const stopThenExit = (signal: NodeJS.Signals) => {
    void mock.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", stopThenExit);
  process.once("SIGTERM", stopThenExit);
  return async () => {
    process.off("SIGINT", stopThenExit);
    process.off("SIGTERM", stopThenExit);
    await mock.stop();
  };
}
