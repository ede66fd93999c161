import ICAL from "ical.js";

import type { CalendarEvent } from "@/lib/calendar/events";
import { count } from "@/lib/format/count";

/*
 * The calendar as iCalendar (RFC 5545) through ical.js: one VEVENT per rotation and expiry, with
 * a VALARM for each reminder day, so that Outlook and other clients remind on their own.
 */

const PRODUCT_ID = "-//Keyward//Rotation calendar//EN";
/** ical.js counts the continuation space outside its fold length; RFC 5545 counts it in (75). */
const FOLD_LENGTH = 74;

export function toICalendar(
  events: readonly CalendarEvent[],
  options: { name: string; reminderDays: readonly number[]; portalUrl: string; now: number },
): string {
  ICAL.foldLength = FOLD_LENGTH;
  const calendar = new ICAL.Component(["vcalendar", [], []]);
  calendar.addPropertyWithValue("prodid", PRODUCT_ID);
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  calendar.addPropertyWithValue("method", "PUBLISH");
  calendar.addPropertyWithValue("x-wr-calname", options.name);
  const stamp = ICAL.Time.fromJSDate(new Date(options.now), true);
  for (const event of events) {
    if (event.kind === "reminder") continue;
    const component = new ICAL.Component("vevent");
    const vevent = new ICAL.Event(component);
    vevent.uid = `${event.id.replace(/[^A-Za-z0-9-]/g, "-")}@keyward`;
    vevent.summary = `${event.title} (${event.hsm})`;
    vevent.startDate = ICAL.Time.fromJSDate(new Date(event.at), true);
    vevent.endDate = ICAL.Time.fromJSDate(new Date(event.at + 30 * 60_000), true);
    const url = `${options.portalUrl}/keys/${encodeURIComponent(event.hsm)}/${encodeURIComponent(event.name)}`;
    vevent.description =
      event.kind === "rotation"
        ? `Managed HSM ${event.hsm} rotates key ${event.name} by its rotation policy.${event.newVersionExpiresAt ? ` The new version expires ${new Date(event.newVersionExpiresAt).toISOString()}.` : ""}\n${url}`
        : `Key ${event.name} in Managed HSM ${event.hsm} expires.\n${url}`;
    component.addPropertyWithValue("dtstamp", stamp);
    component.addPropertyWithValue("url", url);
    component.addPropertyWithValue("categories", event.kind === "rotation" ? "Rotation" : "Expiry");
    for (const days of options.reminderDays) {
      const alarm = new ICAL.Component("valarm");
      alarm.addPropertyWithValue("action", "DISPLAY");
      alarm.addPropertyWithValue("description", `${event.title} in ${count(days, "day")}`);
      const trigger = alarm.addPropertyWithValue(
        "trigger",
        ICAL.Duration.fromSeconds(-days * 86_400),
      );
      trigger.setParameter("related", "START");
      component.addSubcomponent(alarm);
    }
    calendar.addSubcomponent(component);
  }
  return calendar.toString().replace(/\r?\n/g, "\r\n") + "\r\n";
}
