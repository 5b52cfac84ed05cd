import type { Step } from "./call/call.js";

/**
 * A capability added to a client with its `use` option, made by one of this
 * package's entries: `callLimits()` (`flatpeak-client/limits`) and the others
 * the README lists. An app that uses none ships none of them.
 *
 * @example
 * import { callLimits } from "flatpeak-client/limits";
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callLimits({ deadlineMs: 10_000 })] });
 */
export interface FlatpeakPlugin {
  /** What the plugin is, e.g. `"callLimits"`; for messages. */
  readonly name: string;
}

/**
 * The parts a plugin adds, each at its own place of the per-call path (see
 * `createPipeline`), whatever the order of `use`.
 *
 * @example
 * const parts: PluginParts = { deadline: deadline(10_000), queue: concurrencyLimit(16), pause: rateLimitPause() };
 */
export interface PluginParts {
  /** Bounds each call in time; also takes the per-call `deadlineMs`. */
  deadline?: Step | undefined;
  /** Holds calls in line. */
  queue?: Step | undefined;
  /** Around each attempt, inside the retries. */
  pause?: Step | undefined;
}

const PARTS = Symbol.for("flatpeak-client.plugin");

/**
 * A plugin made of `parts`.
 *
 * @example
 * export function callLimits(options: CallLimitsOptions): FlatpeakPlugin {
 *   return definePlugin("callLimits", { deadline: deadline(options.deadlineMs), pause: rateLimitPause() });
 * }
 */
export function definePlugin(name: string, parts: PluginParts): FlatpeakPlugin {
  return Object.freeze({ name, [PARTS]: parts });
}

/**
 * The parts of a plugin; `undefined` for anything that is not one.
 *
 * @example
 * const parts = partsOf(plugin) ?? refuse("not a plugin");
 */
export function partsOf(plugin: unknown): PluginParts | undefined {
  return (plugin as { [PARTS]?: PluginParts } | null)?.[PARTS];
}
