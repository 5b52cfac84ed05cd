import { callbackTokens, fixedToken, loginTokens, type TokenProvider } from "../auth.js";
import type { ResolvedOptions } from "../options.js";
import type { OutgoingRequest } from "../outgoing-request.js";
import type { PluginParts } from "../plugin.js";
import { attempt } from "./attempt.js";
import { authorize } from "./authorize.js";
import { chain, type Send, type Step } from "./call.js";
import { retry } from "./retry.js";

/**
 * A client's per-call path: `send` for the requests of its calls.
 *
 * @example
 * const { send } = createPipeline(settings);
 */
export interface Pipeline {
  send: Send;
  /** Whether a plugin bounds calls by a deadline, so that a call may give `deadlineMs`. */
  takesDeadlines: boolean;
}

/**
 * The per-call path of a client, composed here and only here, in the order
 * the steps run; the plugins of `use` fill their places, whatever their
 * order, and a place nobody fills costs nothing:
 *
 * 1. deadline (plugin `callLimits`): the whole call within `deadlineMs`;
 *    first, so that it bounds the wait in line too;
 * 2. queue (plugin `callLimits`): at most `maxConcurrency` calls in flight;
 * 3. `authorize`: origin check, version pin, bearer token, one re-login;
 * 4. `retry`: the retry decision, and the wait before the next attempt;
 * 5. pause (plugin `callLimits`): the client holds attempts while a 429's
 *    `Retry-After` runs;
 * 6. `attempt`: one attempt, with its timeout, body included.
 *
 * Logins take steps 4–6 only: they hold no place in line, since the calls
 * that wait for them do.
 *
 * @example
 * const { send } = createPipeline(resolveOptions({ accountId, apiKey, use: [callLimits()] }));
 */
export function createPipeline(settings: ResolvedOptions): Pipeline {
  const { plugins } = settings;
  const transport = chain([retry(settings.maxRetries, settings.log), ...stepsAt(plugins, "pause")], attempt(settings));
  const tokens = tokenProvider(settings, (request) => transport(request, { method: "GET", operation: "GET /login", deadlineAt: Number.POSITIVE_INFINITY }));
  const deadlines = stepsAt(plugins, "deadline");
  return { send: chain([...deadlines, ...stepsAt(plugins, "queue"), authorize({ ...settings, tokens })], transport), takesDeadlines: deadlines.length > 0 };
}

function stepsAt(plugins: readonly PluginParts[], place: "deadline" | "queue" | "pause"): Step[] {
  return plugins.flatMap((parts) => parts[place] ?? []);
}

function tokenProvider(settings: ResolvedOptions, send: (request: OutgoingRequest) => Promise<Response>): TokenProvider {
  const { credentials, baseUrl, apiVersion, headers, log } = settings;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "callback") return callbackTokens(credentials.getToken);
  return loginTokens({ ...credentials, baseUrl, apiVersion, headers, send, log });
}
