import "server-only";

import { auditedTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import { hasPermission } from "@/lib/auth/permissions";
import { calendarEvents } from "@/lib/calendar/events";
import { createFeed, feedsOf, openFeed, revokeFeed } from "@/lib/calendar/feeds";
import { toICalendar } from "@/lib/calendar/ics";
import { calendarKeys, type CalendarFilters } from "@/lib/calendar/load";
import { recentDeliveries } from "@/lib/calendar/reminders";
import { feedWindow } from "@/lib/calendar/window";
import { getDb } from "@/lib/db/client";
import { displayNames } from "@/lib/directory/store";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { facetOptions } from "@/lib/inventory/facets";
import type { InventoryContext } from "@/lib/inventory/service";
import { visibilityOf } from "@/lib/inventory/visibility";

/* The rotation calendar as pages and routes read and change it: keys, feeds and deliveries. */

/** Each live feed is a standing credential: keep them few. */
export const MAX_FEEDS_PER_PERSON = 10;

/** The keys the viewer may see, with what the page's menus, feed list and delivery log need. */
export async function calendarPage(
  context: InventoryContext,
  viewer: { oid: string },
  filters: Pick<CalendarFilters, "hsm" | "owner">,
) {
  const db = await getDb();
  const [keys, facets, feeds, deliveries] = await Promise.all([
    calendarKeys(db, context.visibility, filters),
    facetOptions(db, context.visibility, context.now),
    feedsOf(db, viewer.oid),
    getEnv().reminders.webhookUrl && context.visibility.all ? recentDeliveries(db, 10) : [],
  ]);
  const ownerNames = await displayNames(db, facets.owners);
  return { keys, owners: facets.owners, ownerNames, feeds, deliveries };
}

export async function calendarKeysFor(
  context: InventoryContext,
  filters: Pick<CalendarFilters, "hsm" | "owner">,
) {
  return calendarKeys(await getDb(), context.visibility, filters);
}

/** A new named feed for its owner, refused past the limit (counted and created in one transaction). */
export async function createOwnFeed(
  owner: { oid: string; name: string; roles: readonly string[]; groups: readonly string[] },
  name: string,
  audit: AuditContext,
) {
  return auditedTransaction(
    audit,
    async (trx) => {
      if ((await feedsOf(trx, owner.oid)).length >= MAX_FEEDS_PER_PERSON)
        throw new AppError(
          "conflict",
          `You already have ${MAX_FEEDS_PER_PERSON} calendar feeds; revoke one you no longer use first.`,
        );
      return createFeed(trx, owner, name);
    },
    (feed) => ({ target: { feed: feed.id }, detail: { name: feed.name } }),
  );
}

/** Revokes one of the owner's feeds; false when they have no such live feed. */
export async function revokeOwnFeed(
  ownerOid: string,
  feedId: string,
  audit: AuditContext,
): Promise<boolean> {
  return auditedTransaction(
    audit,
    (trx) => revokeFeed(trx, ownerOid, feedId),
    // Nothing revoked, nothing recorded here: the route's "not found" is recorded as failed.
    (revoked) => (revoked ? { target: { feed: feedId } } : null),
  );
}

/**
 * The iCalendar text behind a feed token: what its owner may see (as of the feed's creation),
 * over the feed's window. Unknown or revoked tokens are "not found"; an owner without a role that
 * shows keys gets a refusal, not an empty calendar.
 */
export async function feedCalendar(token: string, now = Date.now()) {
  const db = await getDb();
  const feed = await openFeed(db, token, now);
  if (!feed) throw new AppError("not_found", "This calendar feed does not exist or was revoked.");
  if (!hasPermission(feed.roles, "inventory.read"))
    throw new AppError("forbidden", "The owner of this feed holds no portal role that shows keys.");
  const env = getEnv();
  const keys = await calendarKeys(db, visibilityOf(feed), {});
  // Reminders become each event's alarms: over 14 months of 10,000 keys, building them as events
  // of their own to drop them would triple the feed's work.
  const events = calendarEvents(
    keys,
    feedWindow(now),
    env.reminders.days,
    new Set(["rotation", "expiry"] as const),
  );
  const text = toICalendar(events, {
    name: `Keyward key rotations (${feed.ownerName})`,
    reminderDays: env.reminders.days,
    portalUrl: env.publicUrl,
    now,
  });
  return { feedId: feed.id, events: events.length, text };
}
