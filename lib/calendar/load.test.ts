import { afterEach, describe, expect, it } from "vitest";

import { calendarKeys } from "@/lib/calendar/load";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { scheduleGeneration } from "@/lib/inventory/keys";
import { seedMirrorKeys } from "@/bench/lib/seed-mirror";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const OWNER = "3243182d-1727-4605-9abd-29ce37fe0480";

describe.each(availableDialects())("the calendar's keys on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  /** Two portal processes on one database: `portal` reads, `other` changes the mirror. */
  async function twoProcesses() {
    database = await createTestDatabase(dialect);
    const portal = await database.openMigrated();
    const other = database.open();
    await seedMirrorKeys(other, "hsm-a", 3, NOW, "key-");
    return { portal, other };
  }

  it("moves the generation on when keys appear, go or change what the calendar reads", async () => {
    const { portal, other } = await twoProcesses();
    const changes = [
      () => seedMirrorKeys(other, "hsm-b", 2, NOW, "more-"),
      () =>
        other
          .updateTable("inventory_key")
          .set({ expires_at: NOW })
          .where("name", "=", "key-1")
          .execute(),
      () => other.deleteFrom("inventory_key").where("hsm", "=", "hsm-b").execute(),
    ];
    for (const change of changes) {
      const before = await scheduleGeneration(portal);
      await change();
      expect(await scheduleGeneration(portal)).toBeGreaterThan(before);
    }
    const unchanged = await scheduleGeneration(portal);
    await other.selectFrom("inventory_key").selectAll().execute();
    // A tag change (most executed requests) and a rewrite with the same values leave it alone.
    await other
      .updateTable("inventory_key")
      .set({ tags: JSON.stringify({ env: "prod" }), expires_at: NOW })
      .where("name", "=", "key-1")
      .execute();
    expect(await scheduleGeneration(portal)).toBe(unchanged);
    for (const set of [
      { policy: null },
      { owner: OWNER },
      { deleted_at: NOW },
      { name: "Key-1" },
    ]) {
      const before = await scheduleGeneration(portal);
      await other.updateTable("inventory_key").set(set).where("name_lower", "=", "key-1").execute();
      expect(await scheduleGeneration(portal), JSON.stringify(set)).toBeGreaterThan(before);
    }
  });

  it("keeps what it read until another process changes the mirror", async () => {
    const { portal, other } = await twoProcesses();
    const first = await calendarKeys(portal, { all: true }, {});
    expect(first.map((k) => k.name)).toEqual(["key-0", "key-1", "key-2"]);
    expect(await calendarKeys(portal, { all: true }, {})).toBe(first);
    expect(Object.isFrozen(first[1])).toBe(true);

    await other
      .updateTable("inventory_key")
      .set({ expires_at: NOW + 1_000, owner: OWNER })
      .where("name", "=", "key-1")
      .execute();
    const updated = await calendarKeys(portal, { all: true }, {});
    expect(updated).not.toBe(first);
    expect(updated.find((k) => k.name === "key-1")?.expiresAt).toBe(NOW + 1_000);

    // Lists are kept per visibility and filter: a requester's is their groups' keys only.
    const requester = await calendarKeys(portal, { all: false, owners: [OWNER] }, {});
    expect(requester.map((k) => k.name)).toEqual(["key-1"]);
    expect((await calendarKeys(portal, { all: true }, { hsm: "hsm-b" })).length).toBe(0);

    await other
      .updateTable("inventory_key")
      .set({ deleted_at: NOW })
      .where("name", "=", "key-1")
      .execute();
    expect(await calendarKeys(portal, { all: false, owners: [OWNER] }, {})).toEqual([]);
    expect((await calendarKeys(portal, { all: true }, {})).map((k) => k.name)).toEqual([
      "key-0",
      "key-2",
    ]);
  });
});
