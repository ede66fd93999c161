import { afterEach, describe, expect, it } from "vitest";

import {
  createFeed,
  FEED_OWNER_ABSENCE_MS,
  feedsOf,
  openFeed,
  refreshOwnerFeeds,
  revokeFeed,
} from "@/lib/calendar/feeds";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

/* Personal calendar feeds in SQLite and PostgreSQL: named, listed newest first, revocable. */

const owner = { oid: "owner-1", name: "Kim", roles: ["Keyward.KeyAdmin"], groups: ["g-1"] };

describe.each(availableDialects())("calendar feeds on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it("keeps each feed's name and lists the owner's live feeds by name, newest first", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const laptop = await createFeed(db, owner, "Outlook – work laptop", 1_000);
    const phone = await createFeed(db, owner, "Phone", 2_000);
    await createFeed(db, { ...owner, oid: "someone-else" }, "Theirs", 3_000);
    expect(laptop.name).toBe("Outlook – work laptop");

    expect(await feedsOf(db, owner.oid)).toEqual([
      { id: phone.id, name: "Phone", createdAt: 2_000, lastUsedAt: null },
      { id: laptop.id, name: "Outlook – work laptop", createdAt: 1_000, lastUsedAt: null },
    ]);

    expect(await openFeed(db, laptop.token, 5_000)).toMatchObject({ id: laptop.id });
    expect(await revokeFeed(db, owner.oid, phone.id)).toBe(true);
    expect(await feedsOf(db, owner.oid)).toEqual([
      { id: laptop.id, name: "Outlook – work laptop", createdAt: 1_000, lastUsedAt: 5_000 },
    ]);
    expect(await openFeed(db, phone.token)).toBeNull();
  });

  it("brings the owner's feeds to their roles and groups at each sign-in, and ends them when they stay away", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const feed = await createFeed(db, owner, "Phone", 1_000);
    const theirs = await createFeed(db, { ...owner, oid: "someone-else" }, "Theirs", 1_000);

    // Signed in again after leaving group g-1 and losing the key administrator role.
    await refreshOwnerFeeds(
      db,
      { oid: owner.oid, roles: ["Keyward.Requester"], groups: [] },
      2_000,
    );
    expect(await openFeed(db, feed.token, 3_000)).toMatchObject({
      roles: ["Keyward.Requester"],
      groups: [],
    });
    expect(await openFeed(db, theirs.token, 3_000)).toMatchObject({ groups: ["g-1"] });

    // No sign-in for the whole absence: the feed no longer answers, and a sign-in revives it.
    expect(await openFeed(db, feed.token, 2_000 + FEED_OWNER_ABSENCE_MS - 1)).not.toBeNull();
    expect(await openFeed(db, feed.token, 2_000 + FEED_OWNER_ABSENCE_MS)).toBeNull();
    await refreshOwnerFeeds(
      db,
      { oid: owner.oid, roles: [], groups: [] },
      2_000 + FEED_OWNER_ABSENCE_MS,
    );
    expect(await openFeed(db, feed.token, 2_000 + FEED_OWNER_ABSENCE_MS + 1)).not.toBeNull();
  });
});
