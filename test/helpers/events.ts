/**
 * The events a client reports, for tests: a callEvents plugin that keeps
 * them, and the attempt events that announced a retry.
 */
import { callEvents, type FlatpeakCallEvent, type FlatpeakCallEventOf } from "../../src/events/index.js";

export function recordedEvents(onEach?: (event: FlatpeakCallEvent) => void) {
  const events: FlatpeakCallEvent[] = [];
  const plugin = callEvents({
    onEvent: (event) => {
      events.push(event);
      onEach?.(event);
    },
  });
  const retries = () => events.filter((event): event is FlatpeakCallEventOf<"attempt_end"> => event.type === "attempt_end" && event.retryInMs !== undefined);
  return { events, plugin, retries };
}
