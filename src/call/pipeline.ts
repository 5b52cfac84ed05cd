import { callbackTokens, fixedToken, loginTokens, type TokenProvider } from "../auth/token-providers.js";
import { logIn } from "../auth/login.js";
import type { ResolvedOptions } from "../client/options.js";
import type { OutgoingRequest } from "../http/outgoing-request.js";
import type { CallStep, PluginParts } from "../client/plugin.js";
import { attempt } from "./attempt.js";
import { authorize } from "./authorize.js";
import { chain, type Send, type Step } from "./call.js";
import type { ClientNote } from "./notes.js";
import { retry } from "./retry.js";

/**
 * A client's per-call path: the `observe` steps around each whole call (the
 * first outermost; none when no plugin observes), and `send` for the
 * requests of its calls.
 *
 * @example
 * const { observe, send } = createPipeline(settings);
 * @internal
 */
export interface Pipeline {
  observe: CallStep[];
  send: Send;
  /** The `Flatpeak-Version` the client pins. */
  apiVersion: string;
  /** Whether a plugin bounds calls by a deadline, so that a call may give `deadlineMs`. */
  takesDeadlines: boolean;
}

/**
 * The per-call path of a client, composed here and only here, in the order
 * the steps run; the plugins of `use` fill their places, whatever their
 * order, and a place nobody fills costs nothing:
 *
 * 1. observe (plugins `callEvents`, `tracing`): around the whole call, from
 *    before its request is built until its result is parsed;
 * 2. deadline (plugin `callLimits`): the whole call within `deadlineMs`;
 *    before the queue, so that it bounds the wait in line too;
 * 3. queue (plugin `callLimits`): at most `maxConcurrency` calls in flight;
 * 4. `authorize`: origin check, version pin, bearer token, one re-login;
 * 5. `retry`: the retry decision, and the wait before the next attempt;
 * 6. pause (plugin `callLimits`): the client holds attempts while a 429's
 *    `Retry-After` runs;
 * 7. `attempt`: one attempt, with its timeout, body included.
 *
 * Logins take steps 5–7 only: they hold no place in line, since the calls
 * that wait for them do.
 *
 * @example
 * const { send } = createPipeline(resolveOptions({ accountId, apiKey, use: [callLimits()] }));
 * @internal
 */
export function createPipeline(settings: ResolvedOptions): Pipeline {
  const { plugins, apiVersion } = settings;
  const { apiKey } = settings.credentials as { apiKey?: string };
  const transport = chain([retry(settings.maxRetries), ...stepsAt(plugins, "pause")], attempt({ ...settings, secrets: apiKey === undefined ? [] : [apiKey] }));
  const tokens = tokenProvider(settings, (request) => transport(request, { method: "GET", operation: "GET /login", deadlineAt: Infinity, apiVersion }));
  const deadlines = stepsAt(plugins, "deadline");
  const send = chain([...deadlines, ...stepsAt(plugins, "queue"), authorize({ ...settings, tokens })], transport);
  return { observe: stepsAt(plugins, "observe"), send, apiVersion, takesDeadlines: deadlines.length > 0 };
}

function stepsAt<P extends "observe" | "deadline" | "queue" | "pause">(plugins: readonly PluginParts[], place: P): Array<NonNullable<PluginParts[P]>> {
  return plugins.flatMap((parts) => parts[place] ?? []);
}

function tokenProvider(settings: ResolvedOptions, send: (request: OutgoingRequest) => Promise<Response>): TokenProvider {
  const { credentials, plugins } = settings;
  if (credentials.kind === "token") return fixedToken(credentials.token);
  if (credentials.kind === "callback") return callbackTokens(credentials.getToken);
  const note = (clientNote: ClientNote) => plugins.forEach(({ onNote }) => onNote?.(clientNote));
  const login = { ...settings, ...credentials, send, note };
  const shared = plugins.find(({ loginSource }) => loginSource)?.loginSource;
  return loginTokens({ ...login, source: shared?.({ ...login, logIn: () => logIn(login) }) });
}
