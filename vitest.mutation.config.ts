import { defineConfig, type ViteUserConfig } from "vitest/config";

/**
 * The suites mutation testing runs against each mutant of src/: every
 * behaviour suite, without the type tests (mutants are checked at run time),
 * the runs in child processes (the load run, and the receivers sharing
 * Redis: what a child runs is not the mutant under test), and the checks of
 * the package's text rather than its behaviour (the README's snippets and
 * tables, the shipped declarations, the layout, the compiler's messages),
 * which read source that mutation rewrites.
 */
const config: ViteUserConfig = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      "test/resilience/load.test.ts",
      "test/processes/**",
      "test/scripts/**",
      "test/package/tree-shaking.test.ts",
      "test/package/readme-*.test.ts",
      "test/package/declarations.test.ts",
      "test/package/layout.test.ts",
      "test/package/portability.test.ts",
      "test/testing/handler-messages.test.ts",
    ],
    globalSetup: ["test/setup/mock-server.ts"],
    testTimeout: 20_000,
  },
});

export default config;
