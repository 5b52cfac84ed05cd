import type { LoginSource } from "../auth/token-providers.js";
import type { Call, Step } from "../call/call.js";
import type { ClientNote } from "../call/notes.js";
import type { LoginFailure, LoginGrant } from "../auth/login.js";

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
 * A call's result, as openapi-fetch resolves it.
 *
 * @example
 * const { data, error, response }: CallResult = await next();
 */
export type CallResult = { data?: unknown; error?: unknown; response: Response };

/**
 * A step around a whole call, from before its request is built until its
 * result is parsed (or it rejects): where plugins observe calls.
 *
 * @example
 * const timed: CallStep = async (call, next) => {
 *   const startedAt = performance.now();
 *   try {
 *     return await next();
 *   } finally {
 *     console.log(call.operation, performance.now() - startedAt);
 *   }
 * };
 * @internal
 */
export type CallStep = (call: Call, next: () => Promise<CallResult>) => Promise<CallResult>;

/**
 * The parts a plugin adds, each at its own place of the per-call path (see
 * `createPipeline`), whatever the order of `use`.
 *
 * @example
 * const parts: PluginParts = { deadline: deadline(10_000), queue: concurrencyLimit(16), pause: rateLimitPause() };
 * @internal
 */
export interface PluginParts {
  /** Around each whole call, outermost: events, traces. */
  observe?: CallStep | undefined;
  /** Told of what the client does on its own: logins, failed logins. */
  onNote?: ((note: ClientNote) => void) | undefined;
  /** Bounds each call in time; also takes the per-call `deadlineMs`. */
  deadline?: Step | undefined;
  /** Holds calls in line. */
  queue?: Step | undefined;
  /** Around each attempt, inside the retries. */
  pause?: Step | undefined;
  /** Where a client that logs in gets its tokens instead: a store the fleet shares. */
  loginSource?: ((login: LoginContext) => LoginSource) | undefined;
}

/**
 * What a login source is given: whose tokens they are (the API key, only to
 * tell one credential's tokens from another's; it never leaves the
 * process), how to log in for real, and whom to tell of what it did.
 *
 * @example
 * const context: LoginContext = { accountId: "acc_…", apiKey, baseUrl: "https://api.flatpeak.com", logIn: () => logIn(settings), note: undefined };
 * @internal
 */
export interface LoginContext {
  accountId: string;
  apiKey: string;
  baseUrl: string;
  logIn(): Promise<LoginGrant | LoginFailure>;
  note: ((note: ClientNote) => void) | undefined;
}

const PARTS = Symbol.for("flatpeak-client.plugin");

/**
 * A plugin made of `parts`.
 *
 * @example
 * export function callLimits(options: CallLimitsOptions): FlatpeakPlugin {
 *   return definePlugin("callLimits", { deadline: deadline(options.deadlineMs), pause: rateLimitPause() });
 * }
 * @internal
 */
export function definePlugin(name: string, parts: PluginParts): FlatpeakPlugin {
  return Object.freeze({ name, [PARTS]: parts });
}

/**
 * The parts of a plugin; `undefined` for anything that is not one.
 *
 * @example
 * const parts = partsOf(plugin) ?? refuse("not a plugin");
 * @internal
 */
export function partsOf(plugin: unknown): PluginParts | undefined {
  return (plugin as { [PARTS]?: PluginParts } | null)?.[PARTS];
}
