// POST /api/calendar/feeds – a new personal iCalendar feed URL (shown once; the token is stored hashed)
import { createFeed } from "@/lib/calendar/feeds";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { withRoute } from "@/lib/http/with-route";

export const POST = withRoute({
  access: { permission: "inventory.read" },
  handler: async ({ session, log }) => {
    const feed = await createFeed(await getDb(), {
      oid: session.userOid,
      name: session.displayName,
      roles: session.roles,
      groups: session.groups,
    });
    log.info({ feed: feed.id, user: session.userOid }, "calendar feed created");
    return Response.json(
      {
        id: feed.id,
        url: `${getEnv().publicUrl}/api/calendar/feed?token=${feed.token}`,
      },
      { status: 201 },
    );
  },
});
