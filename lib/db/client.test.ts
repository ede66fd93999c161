import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { migrateToLatest, portalMigrator } from "@/lib/db/client";
import type { CalendarFeedTable, ReminderDeliveryTable } from "@/lib/db/schema/calendar/table";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

describe.each(availableDialects())("database client on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it("migrates a new database, and a second run finds nothing to do", async () => {
    database = await createTestDatabase(dialect);
    const db = database.open();
    expect(await migrateToLatest(db)).toEqual([
      "0001-leases",
      "0002-sessions",
      "0003-inventory",
      "0004-directory-sod",
      "0005-calendar",
      "0006-live-family-expiry",
      "0007-calendar-feed-names",
      "0008-audit",
      "0009-audit-search",
      "0010-requests",
      "0011-notifications",
      "0012-role-description",
      "0013-backups",
      "0014-backup-schedules",
      "0015-backup-freshness",
      "0016-key-templates",
      "0017-role-grants",
      "0018-out-of-band",
      "0019-access-reviews",
      "0020-session-mutation-window",
      "0021-calendar-feed-owner-sign-in",
      "0022-inventory-generation",
    ]);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it("lets two instances migrate the same database at the same time", async () => {
    database = await createTestDatabase(dialect);
    const results = await Promise.all([
      migrateToLatest(database.open()),
      migrateToLatest(database.open()),
    ]);
    expect(results.flat()).toEqual([
      "0001-leases",
      "0002-sessions",
      "0003-inventory",
      "0004-directory-sod",
      "0005-calendar",
      "0006-live-family-expiry",
      "0007-calendar-feed-names",
      "0008-audit",
      "0009-audit-search",
      "0010-requests",
      "0011-notifications",
      "0012-role-description",
      "0013-backups",
      "0014-backup-schedules",
      "0015-backup-freshness",
      "0016-key-templates",
      "0017-role-grants",
      "0018-out-of-band",
      "0019-access-reviews",
      "0020-session-mutation-window",
      "0021-calendar-feed-owner-sign-in",
      "0022-inventory-generation",
    ]);
  });

  it("names the calendar feeds made before feeds had names after their creation time", async () => {
    database = await createTestDatabase(dialect);
    const db = database.open();
    await (await portalMigrator(db)).migrateTo("0006-live-family-expiry");
    const before = db as unknown as Kysely<{
      calendar_feed: Omit<CalendarFeedTable, "name" | "owner_signed_in_at">;
    }>;
    const feed = (id: string, createdAt: number) => ({
      id,
      token_hash: id.padEnd(64, "0"),
      owner_oid: "owner",
      owner_name: "Owner",
      roles: "[]",
      groups: "[]",
      created_at: createdAt,
      last_used_at: null,
      revoked_at: null,
    });
    await before
      .insertInto("calendar_feed")
      .values([
        feed("a", Date.UTC(2026, 10, 29, 0, 46, 55)),
        feed("b", Date.UTC(2026, 10, 29, 17, 5)),
      ])
      .execute();

    expect(await migrateToLatest(db)).toEqual([
      "0007-calendar-feed-names",
      "0008-audit",
      "0009-audit-search",
      "0010-requests",
      "0011-notifications",
      "0012-role-description",
      "0013-backups",
      "0014-backup-schedules",
      "0015-backup-freshness",
      "0016-key-templates",
      "0017-role-grants",
      "0018-out-of-band",
      "0019-access-reviews",
      "0020-session-mutation-window",
      "0021-calendar-feed-owner-sign-in",
      "0022-inventory-generation",
    ]);
    expect(
      await db.selectFrom("calendar_feed").select(["id", "name"]).orderBy("id").execute(),
    ).toEqual([
      { id: "a", name: "Feed created 2026-11-29 00:46 UTC" },
      { id: "b", name: "Feed created 2026-11-29 17:05 UTC" },
    ]);
  });

  it("moves the reminders already posted into the outbox, and leaves failed ones to be queued again", async () => {
    database = await createTestDatabase(dialect);
    const db = database.open();
    await (await portalMigrator(db)).migrateTo("0010-requests");
    const before = db as unknown as Kysely<{ reminder_delivery: ReminderDeliveryTable }>;
    const at = Date.UTC(2026, 5, 1, 12);
    const reminder = (id: string, status: "sent" | "failed"): ReminderDeliveryTable => ({
      id,
      hsm: "hsm-a",
      key_name: `key-${id}`,
      event_kind: "expiry",
      event_at: at + 7 * 86_400_000,
      days_before: 7,
      remind_at: at,
      status,
      attempts: status === "sent" ? 2 : 3,
      last_status: status === "sent" ? 204 : 503,
      last_error: status === "sent" ? null : "the webhook answered 503",
      sent_at: status === "sent" ? at + 1_000 : null,
      updated_at: at + 1_000,
    });
    await before
      .insertInto("reminder_delivery")
      .values([reminder("a", "sent"), reminder("b", "failed")])
      .execute();

    expect(await migrateToLatest(db)).toEqual([
      "0011-notifications",
      "0012-role-description",
      "0013-backups",
      "0014-backup-schedules",
      "0015-backup-freshness",
      "0016-key-templates",
      "0017-role-grants",
      "0018-out-of-band",
      "0019-access-reviews",
      "0020-session-mutation-window",
      "0021-calendar-feed-owner-sign-in",
      "0022-inventory-generation",
    ]);
    const moved = await db.selectFrom("notification").selectAll().execute();
    expect(moved).toEqual([
      {
        id: "a",
        kind: "keyward.reminder",
        target: "reminder",
        payload: JSON.stringify({
          type: "keyward.reminder",
          reminderId: "a",
          hsm: "hsm-a",
          key: "key-a",
          event: "expiry",
          eventAt: "2026-06-08T12:00:00.000Z",
          daysBefore: 7,
        }),
        status: "sent",
        attempts: 2,
        last_status: 204,
        last_error: null,
        next_attempt_at: null,
        created_at: at,
        sent_at: at + 1_000,
        updated_at: at + 1_000,
      },
    ]);
  });

  it("reads epoch-millisecond bigints and counts back as numbers", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const at = Date.UTC(2030, 0, 1, 12, 0, 0, 123);
    await db
      .insertInto("lease")
      .values({ name: "n", holder: "h", acquired_at: at, expires_at: at })
      .execute();
    const row = await db
      .selectFrom("lease")
      .select(["acquired_at", sql<number>`count(*)`.as("count")])
      .groupBy("acquired_at")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ acquired_at: at, count: 1 });
  });
});
