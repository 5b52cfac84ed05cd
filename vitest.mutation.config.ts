import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * The suites mutation testing runs against each mutant of src/: every
 * behaviour suite, without the type tests (mutants are checked at run time)
 * and the runs in child processes (the load run, and the receivers sharing
 * Redis: what a child runs is not the mutant under test).
 */
const config: ViteUserConfig = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/resilience/load.test.ts", "test/processes/**", "test/scripts/**", "test/package/tree-shaking.test.ts"],
    globalSetup: ["test/setup/mock-server.ts"],
    testTimeout: 20_000,
  },
});

export default config;
