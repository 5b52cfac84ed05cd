import type { ClientNote } from "../call/notes.js";
import { checkKeys, type EveryKey } from "../shared/known-keys.js";
import { definePlugin, type FlatpeakPlugin } from "../client/plugin.js";
import { shielded } from "../shared/shielded.js";
import { attemptFacts, callFacts, retryReason } from "./call-facts.js";
import type { CallEventBase, FlatpeakCallEvent } from "./call-event.js";

/**
 * Options of {@link callEvents}.
 *
 * @example
 * const options: CallEventsOptions = { onEvent: (event) => logger.info(event, "flatpeak") };
 */
export interface CallEventsOptions {
  /** Receives each {@link FlatpeakCallEvent}. Nothing waits for it: one that throws, rejects or is slow changes no call. */
  onEvent: (event: FlatpeakCallEvent) => unknown;
}

// Stryker disable next-line BooleanLiteral: checkKeys reads which keys the table holds, never their values
const KEYS: EveryKey<CallEventsOptions> = { onEvent: true };

/**
 * Events of every call of a client, as a plugin for its `use` option: a
 * call starts, each attempt ends (with why and after how long it will be
 * retried), the call ends, and the logins — each with an id shared by the
 * events of one call, the operation's path template and the API version,
 * and never a secret. An app that does not use it ships none of it, and a
 * client without it pays nothing per call.
 *
 * @example
 * import { createFlatpeakClient } from "flatpeak-client";
 * import { callEvents } from "flatpeak-client/events";
 *
 * const flatpeak = createFlatpeakClient({ accountId, apiKey, use: [callEvents({ onEvent: (event) => console.log(JSON.stringify(event)) })] });
 */
export function callEvents(options: CallEventsOptions): FlatpeakPlugin {
  checkKeys("callEvents", options ?? {}, KEYS);
  if (typeof options?.onEvent !== "function") throw new TypeError("callEvents: pass { onEvent }, a function that receives each event, e.g. (event) => console.log(event).");
  const emit = shielded(options.onEvent) as (event: FlatpeakCallEvent) => void;
  const prefix = `fp_${Array.from(crypto.getRandomValues(new Uint8Array(3)), (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
  let calls = 0;
  return definePlugin("callEvents", {
    async observe(call, next) {
      const callId = `${prefix}.${++calls}`;
      const base = (): CallEventBase => ({ callId, method: call.method, operation: call.operation, apiVersion: call.apiVersion });
      const startedAt = performance.now();
      let attempts = 0;
      const previous = call.note;
      call.note = (note) => {
        previous?.(note);
        if (note.type === "relogin") return emit({ type: "relogin", ...base(), status: note.status });
        attempts = note.attempt;
        const retry = note.retryInMs === undefined ? {} : { retryInMs: note.retryInMs, retryReason: retryReason(note.outcome) };
        emit({ type: "attempt_end", ...base(), attempt: note.attempt, durationMs: performance.now() - note.startedAt, ...attemptFacts(note.outcome), ...retry });
      };
      emit({ type: "call_start", ...base() });
      const end = (ended: Parameters<typeof callFacts>[0], outcome: "ok" | "http_error" | "failed") => emit({ type: "call_end", ...base(), outcome, ...callFacts(ended), durationMs: performance.now() - startedAt, attempts });
      try {
        const result = await next();
        end({ result }, result.response.status < 400 ? "ok" : "http_error");
        return result;
      } catch (error) {
        end({ error }, "failed");
        throw error;
      }
    },
    onNote(note: ClientNote) {
      if (note.type === "login_failed") emit({ type: "login_failed", operation: "GET /login", ...(note.status === undefined ? {} : { status: note.status }), ...(note.kind === undefined ? {} : { errorKind: note.kind }) });
      else if (note.type === "token_store_failed") emit({ type: "token_store_failed", operation: "GET /login", action: note.action });
      else emit({ type: note.type, operation: "GET /login", expiresInSeconds: note.expiresInSeconds });
    },
  });
}
