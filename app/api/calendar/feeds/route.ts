// POST /api/calendar/feeds – a new, named personal iCalendar feed URL (shown once; the token is stored hashed)
import { createFeedSchema } from "@/lib/calendar/feed-name";
import { createOwnFeed } from "@/lib/calendar/service";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const createFeedForCaller = withRoute({
  access: { permission: "inventory.read" },
  audit: { action: "calendar.feed.create" },
  response: {
    status: 201,
    description:
      "The new feed: `{ id, name, url }`; the URL holds the feed's token and is shown only here",
  },
  schemas: { body: createFeedSchema },
  handler: async ({ session, body, log, audit }) => {
    const feed = await createOwnFeed(
      {
        oid: session.userOid,
        name: session.displayName,
        roles: session.roles,
        groups: session.groups,
      },
      body.name,
      audit,
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
  POST: createFeedForCaller,
});
