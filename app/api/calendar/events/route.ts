// GET /api/calendar/events – rotations, expiries and reminders of a calendar view as JSON
import { calendarFiltersSchema, eventsIn } from "@/lib/calendar/load";
import { calendarRange, isoDay } from "@/lib/calendar/range";
import { calendarKeysFor } from "@/lib/calendar/service";
import { getEnv } from "@/lib/env";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { inventoryContext } from "@/lib/inventory/service";

const listCalendarEvents = withRoute({
  access: { permission: "inventory.read" },
  schemas: { query: calendarFiltersSchema },
  handler: async ({ session, query }) => {
    const context = await inventoryContext(session);
    const range = calendarRange(query.view ?? "month", query.date ?? isoDay(context.now));
    const keys = await calendarKeysFor(context, query);
    const events = eventsIn(keys, range, getEnv().reminders.days, query.kind);
    return {
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      events: events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
    };
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({
  GET: listCalendarEvents,
});
