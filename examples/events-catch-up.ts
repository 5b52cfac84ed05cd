/**
 * Catching up on missed webhook deliveries: list the events since the last one
 * you handled with `paginate(flatpeak, "/events")` and run them through the same router.
 * Deduplication by `event.id` makes it safe to overlap with live deliveries.
 */
import { paginate } from "flatpeak-client";
import { createEventRouter, createMemoryDeduplicator } from "flatpeak-client/webhooks";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const router = createEventRouter({ isDuplicate: createMemoryDeduplicator() })
  .on("device.create", (event) => console.log(`${event.id}: a device was created`))
  .onUnknown((event) => console.log(`skipping ${event.type}`));

let caughtUp = 0;
for await (const event of paginate(flatpeak, "/events", { params: { query: { limit: 100 } } })) {
  await router.dispatch(event);
  caughtUp++;
  if (caughtUp >= 1000) break;
}
console.log(`caught up on ${caughtUp} event(s)`);
