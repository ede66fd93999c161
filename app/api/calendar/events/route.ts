// GET /api/calendar/events – rotations, expiries and reminders of a calendar view as JSON
import { calendarFiltersSchema, calendarKeys, eventsIn } from "@/lib/calendar/load";
import { calendarRange, isoDay } from "@/lib/calendar/range";
import { getEnv } from "@/lib/env";
import { withRoute } from "@/lib/http/with-route";
import { inventoryContext } from "@/lib/inventory/context";

export const GET = withRoute({
  access: { permission: "inventory.read" },
  schemas: { query: calendarFiltersSchema },
  handler: async ({ session, query }) => {
    const context = await inventoryContext(session);
    const range = calendarRange(query.view ?? "month", query.date ?? isoDay(context.now));
    const keys = await calendarKeys(context.db, context.visibility, query);
    const events = eventsIn(keys, range, getEnv().reminders.days, query.kind);
    return {
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      events: events.map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
    };
  },
});
