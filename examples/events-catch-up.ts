/**
 * Catching up on missed webhook deliveries: list the events since the last one
 * you handled with `paginate(flatpeak, "/events")` and run them through the same router.
 * Claims by `event.id` in the router's store make it safe to overlap with live
 * deliveries: an event handled either way is never handled again. Give the
 * webhook endpoint and this job the same store (`createRedisStore(redis)`
 * when they run in different processes).
 */
import { createMemoryStore, paginate } from "flatpeak-client";
import { createEventRouter } from "flatpeak-client/webhooks";
import { clientFromEnv } from "./support.js";

const flatpeak = clientFromEnv();
const router = createEventRouter({ store: createMemoryStore() })
  .on("device.create", (event) => console.log(`${event.id}: a device was created`))
  .onUnknown((event) => console.log(`skipping ${event.type}`));

let caughtUp = 0;
let skipped = 0;
for await (const event of paginate(flatpeak, "/events", { params: { query: { limit: 100 } } })) {
  const outcome = await router.dispatch(event);
  if (outcome === "handled") caughtUp++;
  else skipped++;
  if (caughtUp + skipped >= 1000) break;
}
console.log(`caught up on ${caughtUp} event(s), ${skipped} handled already`);
