import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createDb, type Db } from "@/lib/db/client";

describe("the portal's SQLite connections", () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-pool-"));
    db = createDb({ kind: "sqlite", file: path.join(dir, "keyward.db") });
    await sql`create table t (n integer)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const values = async () =>
    (await sql<{ n: number }>`select n from t order by n`.execute(db)).rows.map((row) => row.n);

  it("read beside an open transaction, without seeing what it has not committed", async () => {
    let seenDuring: number[] | undefined;
    await db.transaction().execute(async (trx) => {
      await sql`insert into t values (1)`.execute(trx);
      // With one connection this read would wait for the commit below, which waits for it.
      seenDuring = await values();
    });
    expect(seenDuring).toEqual([]);
    expect(await values()).toEqual([1]);
  });

  it("run this process's transactions one after another, in the order they began", async () => {
    const order: string[] = [];
    const transaction = (n: number) =>
      db.transaction().execute(async (trx) => {
        order.push(`begin ${n}`);
        await sql`insert into t values (${n})`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`commit ${n}`);
      });
    await Promise.all([transaction(1), transaction(2), transaction(3)]);
    expect(order).toEqual(["begin 1", "commit 1", "begin 2", "commit 2", "begin 3", "commit 3"]);
    expect(await values()).toEqual([1, 2, 3]);
  });

  it("let the next transaction write after one rolled back", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into t values (1)`.execute(trx);
        throw new Error("the change failed half-way");
      }),
    ).rejects.toThrow("half-way");
    await db.transaction().execute((trx) => sql`insert into t values (2)`.execute(trx));
    expect(await values()).toEqual([2]);
  });

  it("serve more queries at once than it has connections", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sql<{ i: number }>`select ${i} as i`.execute(db)),
    );
    expect(answers.map((answer) => answer.rows[0]?.i)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});
