import { setTimeout as sleep } from "node:timers/promises";
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, UnknownRow } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { calendarKeys } from "@/lib/calendar/load";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { scheduleFingerprint, scheduleGeneration } from "@/lib/inventory/keys";
import { seedMirrorKeys } from "@/bench/lib/seed-mirror";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const OWNER = "3243182d-1727-4605-9abd-29ce37fe0480";

type Row = Record<string, unknown>;
const isVersionRead = (row: Row | undefined) =>
  row !== undefined && ("generation" in row || ("count" in row && "sum" in row));
const isScheduleRead = (row: Row | undefined) =>
  row !== undefined && "created_at" in row && "policy" in row;

/**
 * The portal's handle with a hook after each of its reads, seen by the first row's columns:
 * to count the calendar's reads, or to act between two of them as another process could.
 */
function watched(db: Db, afterRead: (row: Row | undefined) => Promise<void> | void): Db {
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      await afterRead(args.result.rows[0]);
      return args.result;
    },
  };
  return db.withPlugin(plugin);
}

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

  // Only SQLite has the generation's triggers (migration 0022 says why PostgreSQL has none).
  it.runIf(dialect === "sqlite")(
    "moves the generation on when keys appear, go or change what the calendar reads",
    async () => {
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
      // A tag or owner change (most executed requests) and a rewrite with the same values leave it.
      await other
        .updateTable("inventory_key")
        .set({ tags: JSON.stringify({ owner: OWNER }), owner: OWNER, expires_at: NOW })
        .where("name", "=", "key-1")
        .execute();
      expect(await scheduleGeneration(portal)).toBe(unchanged);
      for (const set of [
        { policy: null },
        { created_at: NOW },
        { deleted_at: NOW },
        { name: "Key-1" },
      ]) {
        const before = await scheduleGeneration(portal);
        await other
          .updateTable("inventory_key")
          .set(set)
          .where("name_lower", "=", "key-1")
          .execute();
        expect(await scheduleGeneration(portal), JSON.stringify(set)).toBeGreaterThan(before);
      }
    },
  );

  it.runIf(dialect === "postgres")(
    "changes the fingerprint when keys appear, go or change what the calendar reads, and only then",
    async () => {
      const { portal, other } = await twoProcesses();
      const key1 = () => other.updateTable("inventory_key").where("name_lower", "=", "key-1");
      const seen = new Set([await scheduleFingerprint(portal)]);
      const changes = [
        () => seedMirrorKeys(other, "hsm-b", 2, NOW, "more-"),
        () => key1().set({ expires_at: NOW }).execute(),
        () => other.deleteFrom("inventory_key").where("hsm", "=", "hsm-b").execute(),
        () => key1().set({ policy: null }).execute(),
        () => key1().set({ created_at: NOW }).execute(),
        () => key1().set({ name: "Key-1" }).execute(),
        () => key1().set({ expires_at: null }).execute(),
      ];
      for (const [index, change] of changes.entries()) {
        await change();
        const fingerprint = await scheduleFingerprint(portal);
        expect(seen.has(fingerprint), `change ${index}`).toBe(false);
        seen.add(fingerprint);
      }
      // A tag or owner change (most executed requests) and a rewrite with the same values leave it.
      const unchanged = await scheduleFingerprint(portal);
      await key1()
        .set({ tags: JSON.stringify({ owner: OWNER }), owner: OWNER, expires_at: null })
        .execute();
      expect(await scheduleFingerprint(portal)).toBe(unchanged);
      // Undone, a change gives the earlier fingerprint back: why it is read with the keys.
      await key1().set({ expires_at: NOW }).execute();
      await key1().set({ expires_at: null }).execute();
      expect(await scheduleFingerprint(portal)).toBe(unchanged);
      // A deleted key is not live: deleting one is a change, as its leaving the mirror is.
      await key1().set({ deleted_at: NOW }).execute();
      expect(await scheduleFingerprint(portal)).not.toBe(unchanged);
    },
  );

  it("reads a change that was undone as it is now, not as it was kept", async () => {
    const { portal, other } = await twoProcesses();
    const expiry = async () =>
      (await calendarKeys(portal, { all: true }, {})).find((k) => k.name === "key-1")!.expiresAt;
    const original = await expiry();
    const key1 = () => other.updateTable("inventory_key").where("name", "=", "key-1");
    await key1()
      .set({ expires_at: NOW + 5_000 })
      .execute();
    expect(await expiry()).toBe(NOW + 5_000);
    await key1().set({ expires_at: original }).execute();
    expect(await expiry()).toBe(original);
  });

  it("keeps no schedule that a change made during its read, then undone, would leave stale", async () => {
    const { portal, other } = await twoProcesses();
    const key1 = () => other.updateTable("inventory_key").where("name", "=", "key-1");
    const original = (await calendarKeys(portal, { all: true }, {}))[1]!.expiresAt;
    await key1().set({ policy: null }).execute();

    // Right after the version the keys are read with (on PostgreSQL, the second fingerprint
    // read: the one in the snapshot), another process changes key-1's expiry.
    let versionReads = 0;
    const versionReadBeforeKeys = dialect === "postgres" ? 2 : 1;
    const racing = watched(portal, async (row) => {
      if (isVersionRead(row) && ++versionReads === versionReadBeforeKeys)
        await key1()
          .set({ expires_at: NOW + 7_000 })
          .execute();
    });
    await calendarKeys(racing, { all: true }, {});
    expect(versionReads).toBeGreaterThanOrEqual(versionReadBeforeKeys);

    // Undone, the change gives the fingerprint that was kept back (generations only move on).
    await key1().set({ expires_at: original }).execute();
    const now = await calendarKeys(racing, { all: true }, {});
    expect(now[1]!.expiresAt).toBe(original);
    expect(now[1]!.policy).toBeNull();
  });

  it("reads the keys once for views that miss at the same time, and again after a failed read", async () => {
    const { portal, other } = await twoProcesses();
    let scheduleReads = 0;
    let failNextRead = false;
    const counted = watched(portal, (row) => {
      if (!isScheduleRead(row)) return;
      scheduleReads += 1;
      if (failNextRead) {
        failNextRead = false;
        throw new Error("the connection went away");
      }
    });
    await calendarKeys(counted, { all: true }, {});
    expect(scheduleReads).toBe(1);

    await other
      .updateTable("inventory_key")
      .set({ expires_at: NOW })
      .where("name", "=", "key-2")
      .execute();
    const views = await Promise.all(
      Array.from({ length: 6 }, () => calendarKeys(counted, { all: true }, {})),
    );
    expect(scheduleReads).toBe(2);
    for (const view of views) expect(view[2]!.expiresAt).toBe(NOW);
    expect(new Set(views.map((view) => view[2]!.policy)).size).toBe(1);

    // A failed read is not kept: the view fails, and the next one reads again.
    await other.updateTable("inventory_key").set({ expires_at: null }).execute();
    failNextRead = true;
    await expect(calendarKeys(counted, { all: true }, {})).rejects.toThrow("went away");
    const after = await calendarKeys(counted, { all: true }, {});
    expect(after.map((key) => key.expiresAt)).toEqual([null, null, null]);
    expect(scheduleReads).toBe(4);
  });

  it("sees a change committed right after its keys were read, at the next view", async () => {
    const { portal, other } = await twoProcesses();
    let changed = false;
    const racing = watched(portal, async (row) => {
      if (!isScheduleRead(row) || changed) return;
      changed = true;
      await other
        .updateTable("inventory_key")
        .set({ expires_at: NOW + 9_000 })
        .where("name", "=", "key-0")
        .execute();
    });
    await calendarKeys(racing, { all: true }, {});
    expect(changed).toBe(true);
    expect((await calendarKeys(racing, { all: true }, {}))[0]!.expiresAt).toBe(NOW + 9_000);
  });

  it("does not wait for a read under way that began at another version", async () => {
    const { portal, other } = await twoProcesses();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holdNextRead = true;
    const held = watched(portal, async (row) => {
      if (!isScheduleRead(row) || !holdNextRead) return;
      holdNextRead = false;
      await gate;
    });
    const slow = calendarKeys(held, { all: true }, {});
    await expect.poll(() => holdNextRead).toBe(false);

    try {
      await other
        .updateTable("inventory_key")
        .set({ expires_at: NOW + 3_000 })
        .where("name", "=", "key-2")
        .execute();
      const next = calendarKeys(held, { all: true }, {});
      const first = await Promise.race([
        next.then(() => "the new view"),
        sleep(5_000).then(() => "the held read"),
      ]);
      expect(first).toBe("the new view");
      expect((await next)[2]!.expiresAt).toBe(NOW + 3_000);
    } finally {
      // Even when the view did wait, the held read ends, so the test database can be dropped.
      release();
      await slow;
    }
  });

  it("keeps the schedule it read until another process changes it, and reads owners afresh", async () => {
    const { portal, other } = await twoProcesses();
    const first = await calendarKeys(portal, { all: true }, {});
    expect(first.map((k) => k.name)).toEqual(["key-0", "key-1", "key-2"]);
    const again = await calendarKeys(portal, { all: true }, {});
    expect(again[1]!.policy).not.toBeNull();
    // The schedule is kept: the same frozen objects.
    expect(again[1]!.policy).toBe(first[1]!.policy);
    expect(Object.isFrozen(first[1]!.policy)).toBe(true);

    // An owner tagged by another process shows at once, though the schedule is kept.
    await other
      .updateTable("inventory_key")
      .set({ owner: OWNER })
      .where("name", "=", "key-1")
      .execute();
    const owned = await calendarKeys(portal, { all: true }, {});
    expect(owned[1]!.policy).toBe(first[1]!.policy);
    expect(owned.map((k) => k.owner)).toEqual([null, OWNER, null]);
    // A requester sees their groups' keys only; the owner filter and the HSM filter apply.
    expect(
      (await calendarKeys(portal, { all: false, owners: [OWNER] }, {})).map((k) => k.name),
    ).toEqual(["key-1"]);
    expect(await calendarKeys(portal, { all: false, owners: [] }, {})).toEqual([]);
    expect(
      (await calendarKeys(portal, { all: true }, { owner: OWNER.toUpperCase() })).map(
        (k) => k.name,
      ),
    ).toEqual(["key-1"]);
    expect(await calendarKeys(portal, { all: true }, { hsm: "hsm-b" })).toEqual([]);

    // A new expiry is read again; so is a deletion, for everyone.
    await other
      .updateTable("inventory_key")
      .set({ expires_at: NOW + 1_000 })
      .where("name", "=", "key-1")
      .execute();
    const updated = await calendarKeys(portal, { all: true }, {});
    expect(updated[1]!.expiresAt).toBe(NOW + 1_000);
    expect(updated[1]!.policy).not.toBe(first[1]!.policy);
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
