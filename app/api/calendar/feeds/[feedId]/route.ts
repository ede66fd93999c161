// DELETE /api/calendar/feeds/[feedId] – revoke one of your calendar feeds at once
import { z } from "zod";

import { revokeOwnFeed } from "@/lib/calendar/service";
import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const revokeFeedOfCaller = withRoute({
  access: { permission: "inventory.read" },
  audit: { action: "calendar.feed.revoke" },
  response: { status: 204, description: "The feed is revoked; its URL answers 404 from now on" },
  schemas: { params: z.object({ feedId: z.uuid() }) },
  handler: async ({ session, params, log, audit }) => {
    if (!(await revokeOwnFeed(session.userOid, params.feedId, audit)))
      throw new AppError("not_found", `You have no calendar feed ${params.feedId}.`);
    log.info({ feed: params.feedId, user: session.userOid }, "calendar feed revoked");
    return new Response(null, { status: 204 });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  DELETE: revokeFeedOfCaller,
});
