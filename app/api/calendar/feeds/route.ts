// POST /api/calendar/feeds – a new, named personal iCalendar feed URL (shown once; the token is stored hashed)
import { createFeedSchema } from "@/lib/calendar/feed-name";
import { createFeed, feedsOf } from "@/lib/calendar/feeds";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

/** Each live feed is a standing credential: keep them few. */
const MAX_FEEDS = 10;

const createOwnFeed = withRoute({
  access: { permission: "inventory.read" },
  schemas: { body: createFeedSchema },
  handler: async ({ session, body, log }) => {
    const db = await getDb();
    if ((await feedsOf(db, session.userOid)).length >= MAX_FEEDS)
      throw new AppError(
        "conflict",
        `You already have ${MAX_FEEDS} calendar feeds; revoke one you no longer use first.`,
      );
    const feed = await createFeed(
      db,
      {
        oid: session.userOid,
        name: session.displayName,
        roles: session.roles,
        groups: session.groups,
      },
      body.name,
    );
    log.info({ feed: feed.id, user: session.userOid }, "calendar feed created");
    return Response.json(
      {
        id: feed.id,
        name: feed.name,
        url: `${getEnv().publicUrl}/api/calendar/feed?token=${feed.token}`,
      },
      { status: 201 },
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  POST: createOwnFeed,
});
