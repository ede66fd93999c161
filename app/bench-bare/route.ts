// GET /bench-bare – a bare route handler, the floor `npm run bench:portal` compares routes against
import { getEnv } from "@/lib/env";

/*
 * The cheapest answer a route of this build can give: no proxy (its matcher skips this path),
 * no withRoute, no session, no database. `npm run bench:portal` loads it side by side with
 * /api/health, /api/keys and /keys, so that their fixed cost is a ratio on one build, whatever
 * the machine's speed. It answers only in local mode with KEYWARD_BENCH_BARE_ROUTE=1, which
 * only the benchmarks' stacks set; everywhere else the path is not found.
 */
export function GET(): Response {
  const env = getEnv();
  if (env.mode !== "local" || !env.benchBareRoute) return new Response(null, { status: 404 });
  return Response.json({ status: "pass" });
}
