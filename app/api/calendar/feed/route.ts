// GET /api/calendar/feed?token=… – a personal iCalendar feed (the token in the URL is the credential)
import { z } from "zod";

import { hasPermission } from "@/lib/auth/permissions";
import { openFeed } from "@/lib/calendar/feeds";
import { toICalendar } from "@/lib/calendar/ics";
import { calendarKeys, eventsIn } from "@/lib/calendar/load";
import { feedWindow } from "@/lib/calendar/window";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { visibilityOf } from "@/lib/inventory/visibility";

const serveFeed = withRoute({
  // Calendar clients send no cookie: the feed's own token authenticates, and is checked here.
  access: "public",
  schemas: {
    query: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a feed token") }),
  },
  handler: async ({ query, log }) => {
    const db = await getDb();
    const feed = await openFeed(db, query.token);
    if (!feed) throw new AppError("not_found", "This calendar feed does not exist or was revoked.");
    if (!hasPermission(feed.roles, "inventory.read"))
      throw new AppError(
        "forbidden",
        "The owner of this feed holds no portal role that shows keys.",
      );
    const env = getEnv();
    const now = Date.now();
    const keys = await calendarKeys(db, visibilityOf(feed), {});
    const events = eventsIn(keys, feedWindow(now), env.reminders.days);
    log.info({ feed: feed.id, events: events.length }, "calendar feed read");
    return new Response(
      toICalendar(events, {
        name: `Keyward key rotations (${feed.ownerName})`,
        reminderDays: env.reminders.days,
        portalUrl: env.publicUrl,
        now,
      }),
      {
        headers: {
          "content-type": "text/calendar; charset=utf-8",
          "content-disposition": 'inline; filename="keyward.ics"',
          "x-content-type-options": "nosniff",
        },
      },
    );
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: serveFeed });
