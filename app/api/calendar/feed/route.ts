// GET /api/calendar/feed?token=… – a personal iCalendar feed (the token in the URL is the credential)
import { z } from "zod";

import { feedCalendar } from "@/lib/calendar/service";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";

const serveFeed = withRoute({
  // Calendar clients send no cookie: the feed's own token authenticates, and is checked here.
  access: "public",
  schemas: {
    query: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a feed token") }),
  },
  handler: async ({ query, log }) => {
    const { feedId, events, text } = await feedCalendar(query.token);
    log.info({ feed: feedId, events }, "calendar feed read");
    return new Response(text, {
      headers: {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": 'inline; filename="keyward.ics"',
        "x-content-type-options": "nosniff",
      },
    });
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: serveFeed });
