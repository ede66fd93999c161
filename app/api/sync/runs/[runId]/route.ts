// GET /api/sync/runs/[runId] – one sync run: status, duration and what it cost
import { z } from "zod";

import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { syncRun } from "@/lib/sync/on-demand";

const readSyncRun = withRoute({
  access: { permission: "inventory.readAll" },
  schemas: { params: z.object({ runId: z.uuid() }) },
  handler: async ({ params }) => {
    const run = await syncRun(params.runId);
    return {
      id: run.id,
      hsm: run.hsm,
      kind: run.kind,
      trigger: run.trigger,
      key: run.key_name,
      status: run.status,
      startedAt: new Date(run.started_at).toISOString(),
      finishedAt: run.finished_at === null ? null : new Date(run.finished_at).toISOString(),
      calls: run.calls,
      throttled: run.throttled,
      retries: run.retries,
      failures: run.failures,
      keysListed: run.keys_listed,
      keysRefreshed: run.keys_refreshed,
      keysRemoved: run.keys_removed,
      error: run.error,
    };
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: readSyncRun });
