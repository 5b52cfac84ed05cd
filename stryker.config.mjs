/**
 * Mutation testing of every file of src/ (all entries) with StrykerJS and the
 * Vitest runner: `npm run test:mutation`. Incremental: a re-run only tests
 * the mutants of code or tests that changed since the last run on this
 * machine (`test/mutation/incremental.json`, not committed).
 *
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: ["src/**/*.ts"],
  coverageAnalysis: "perTest",
  ignoreStatic: false,
  incremental: true,
  incrementalFile: "test/mutation/incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 85, break: null },
  concurrency: 2,
  timeoutMS: 30_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};

export default config;
