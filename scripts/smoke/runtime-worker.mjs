// Runs the runtime checks inside a Worker (workerd), with the URLs as bindings.
import { runChecks } from "./runtime-checks.mjs";

export default {
  async fetch(_request, env) {
    try {
      const passed = await runChecks({ baseUrl: env.FLATPEAK_BASE_URL, hangUrl: env.FLATPEAK_HANG_URL });
      return Response.json({ passed });
    } catch (error) {
      return Response.json({ error: String(error?.stack ?? error) }, { status: 500 });
    }
  },
};
