import { afterEach, describe, expect, it } from "vitest";

import { withLease } from "@/lib/db/lease";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(availableDialects())("withLease on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  async function twoInstances() {
    database = await createTestDatabase(dialect);
    const first = await database.openMigrated();
    return [first, database.open()] as const;
  }

  it("runs the job on exactly one of two concurrent holders", async () => {
    const [a, b] = await twoInstances();
    const ran: string[] = [];
    const job = (who: string) => async () => {
      ran.push(who);
      await sleep(300);
      return who;
    };
    const outcomes = await Promise.all([
      withLease("sync:weu", 5000, job("a"), { db: a }),
      withLease("sync:weu", 5000, job("b"), { db: b }),
    ]);
    expect(ran).toHaveLength(1);
    expect(outcomes.filter((o) => o.acquired)).toHaveLength(1);
    const refused = outcomes.find((o) => !o.acquired);
    expect(refused).toEqual({ acquired: false, heldBy: expect.stringContaining(":") as unknown });
  });

  it("runs many contenders one at a time and never two at once", async () => {
    const [a, b] = await twoInstances();
    let running = 0;
    let maxRunning = 0;
    let wins = 0;
    const attempt = (db: typeof a) =>
      withLease(
        "backup:weu",
        5000,
        async () => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          await sleep(20);
          running -= 1;
          wins += 1;
        },
        { db },
      );
    for (let round = 0; round < 10; round += 1)
      await Promise.all([attempt(a), attempt(b), attempt(a), attempt(b)]);
    expect(maxRunning).toBe(1);
    expect(wins).toBeGreaterThanOrEqual(10);
  });

  it("releases the lease when the job ends, even when it throws", async () => {
    const [a, b] = await twoInstances();
    await expect(
      withLease("job", 5000, () => Promise.reject(new Error("job failed")), { db: a }),
    ).rejects.toThrow("job failed");
    expect(await withLease("job", 5000, () => Promise.resolve("second"), { db: b })).toEqual({
      acquired: true,
      value: "second",
    });
  });

  it("keeps the lease past its ttl while the holder renews it", async () => {
    const [a, b] = await twoInstances();
    const holding = withLease(
      "long",
      300,
      async () => {
        await sleep(900);
        return "done";
      },
      { db: a },
    );
    await sleep(600);
    expect(await withLease("long", 300, () => Promise.resolve("stolen"), { db: b })).toMatchObject({
      acquired: false,
    });
    expect(await holding).toEqual({ acquired: true, value: "done" });
  });

  it("lets another instance take over a lease whose holder stopped renewing", async () => {
    const [a, b] = await twoInstances();
    const now = Date.now();
    await a
      .insertInto("lease")
      .values({
        name: "orphan",
        holder: "dead-host:1:x",
        acquired_at: now - 10_000,
        expires_at: now - 1,
      })
      .execute();
    expect(await withLease("orphan", 1000, () => Promise.resolve("taken"), { db: b })).toEqual({
      acquired: true,
      value: "taken",
    });
  });

  it("aborts the job's signal when another holder took the lease over", async () => {
    const [a, b] = await twoInstances();
    const lost: string[] = [];
    const outcome = withLease(
      "contested",
      300,
      async (signal) => {
        // Simulate a stalled holder: another instance overwrites the row as if it had expired.
        await b
          .updateTable("lease")
          .set({ holder: "other:2:y" })
          .where("name", "=", "contested")
          .execute();
        await sleep(400);
        return signal.aborted;
      },
      { db: a, onLost: (reason) => lost.push(reason) },
    );
    expect(await outcome).toEqual({ acquired: true, value: true });
    expect(lost).toEqual(["another holder took it over"]);
    const row = await b
      .selectFrom("lease")
      .select("holder")
      .where("name", "=", "contested")
      .executeTakeFirst();
    expect(row?.holder).toBe("other:2:y");
  });

  it("refuses a ttl too short to renew", async () => {
    const [a] = await twoInstances();
    await expect(withLease("x", 10, () => Promise.resolve(), { db: a })).rejects.toThrow(
      RangeError,
    );
  });
});
