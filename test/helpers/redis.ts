/**
 * Redis for the tests that need a real one: a `redis-server` started by the
 * test itself on a free loopback port, and stopped afterwards. Where the
 * command is missing, those tests are skipped with how to install it — except
 * in CI (`CI=true`), where `.ci/run` installs it, so a missing one fails.
 */
import { describe } from "vitest";
import { REDIS_MISSING, redisServerPath } from "../../scripts/redis.mjs";

export { startRedis, type RunningRedis } from "../../scripts/redis.mjs";

const available = redisServerPath() !== undefined;
if (!available && process.env.CI === "true") throw new Error(REDIS_MISSING);
if (!available) console.warn(`Skipping the tests that need Redis: ${REDIS_MISSING}`);

/** `describe`, skipped where `redis-server` is missing. */
export function describeWithRedis(name: string, suite: () => void): void {
  describe.skipIf(!available)(name, suite);
}
