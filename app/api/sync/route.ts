// POST /api/sync – sync one HSM (incremental or full) or one key into the inventory now
import { z } from "zod";

import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { portalHsmOrThrow } from "@/lib/hsm/connections";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { refreshKey, startSync } from "@/lib/sync/service";
import { hsmName, keyName } from "@/lib/validation/primitives";

const body = z
  .object({
    hsm: hsmName,
    kind: z.enum(["incremental", "full"]).default("incremental"),
    key: keyName.optional(),
  })
  .strict();

const startSyncNow = withRoute({
  access: { permission: "inventory.sync" },
  schemas: { body },
  handler: async ({ session, body: request }) => {
    const handle = portalHsmOrThrow(request.hsm);
    const db = await getDb();
    if (request.key) {
      const { runId, outcome } = await refreshKey(db, handle, request.key, {
        trigger: "manual",
        requestedBy: session.userOid,
      });
      if (outcome === "absent")
        throw new AppError(
          "not_found",
          `HSM ${request.hsm} has no key ${request.key}, live or deleted; it is gone from the inventory.`,
        );
      return Response.json({ runId, status: "succeeded", key: outcome });
    }
    const start = await startSync(
      db,
      handle,
      { kind: request.kind, trigger: "manual", requestedBy: session.userOid },
      { concurrency: getEnv().hsmConcurrency },
    );
    if (!start.started)
      throw new AppError(
        "conflict",
        `A sync of ${request.hsm} is already running; wait for it to finish.`,
      );
    return Response.json({ runId: start.runId, status: "running" }, { status: 202 });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: startSyncNow,
});
