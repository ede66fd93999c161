import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";

import { verificationShape } from "@/lib/audit/api-shapes";
import { GENESIS_HASH } from "@/lib/audit/chain";
import { appendAuditEvent } from "@/lib/audit/record";
import { auditedTransaction, recordAuditEvent } from "@/lib/audit/service";
import { leaseExists, takeLease } from "@/lib/audit/testing/changes";
import { runAppendWorker } from "@/lib/audit/testing/run-append-worker";
import type { AuditContext } from "@/lib/audit/types";
import { describeVerification, verifyAndRecord, verifyChain } from "@/lib/audit/verification";
import type { Db } from "@/lib/db/client";
import {
  availableDialects,
  createTestDatabase,
  type Dialect,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { AppError } from "@/lib/errors";

const context: AuditContext = {
  actor: { type: "user", id: "u-1", name: "Kim Admin" },
  requestId: "req-1",
  action: "lease.take",
};

async function refuseAuditWrites(db: Db, dialect: Dialect) {
  if (dialect === "sqlite") {
    await sql`create trigger refuse_audit before insert on audit_event
      begin select raise(abort, 'the audit store refuses writes'); end`.execute(db);
    return;
  }
  await sql`create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'the audit store refuses writes'; end $$`.execute(db);
  await sql`create trigger refuse_audit before insert on audit_event
      for each row execute function refuse_audit()`.execute(db);
}

describe.each(availableDialects())("the audit log on %s", (dialect) => {
  let database: TestDatabase;

  afterEach(async () => {
    await database.dispose();
  });

  it("commits a change and its event together, numbered from 1 and linked from genesis", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    for (const name of ["a", "b", "c"])
      await auditedTransaction(
        context,
        (trx) => takeLease(trx, name),
        (n) => ({ target: { n } }),
        db,
      );
    const events = await db.selectFrom("audit_event").selectAll().orderBy("seq").execute();
    expect(events.map((e) => [e.seq, JSON.parse(e.target) as unknown])).toEqual([
      [1, { n: "a" }],
      [2, { n: "b" }],
      [3, { n: "c" }],
    ]);
    expect(events[0]!.prev_hash).toBe(GENESIS_HASH);
    expect(events[1]!.prev_hash).toBe(events[0]!.hash);
    expect(await verifyChain(db, [])).toMatchObject({ ok: true, events: 3, head: { seq: 3 } });
    const answer = describeVerification(await verifyAndRecord([], db));
    expect(verificationShape.parse(answer)).toEqual(answer);
  });

  it("never times an event before the one it follows (a clock behind gets its predecessor's time)", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const input = (at: number) => ({
      at,
      actor: context.actor,
      action: "clock.test",
      target: {},
      outcome: "succeeded" as const,
      detail: {},
      requestId: null,
    });
    const written = await db
      .transaction()
      .execute(async (trx) => [
        await appendAuditEvent(trx, input(2_000)),
        await appendAuditEvent(trx, input(1_000)),
        await appendAuditEvent(trx, input(3_000)),
      ]);
    expect(written.map((e) => e.at)).toEqual([2_000, 2_000, 3_000]);
    expect(await verifyChain(db, [])).toMatchObject({ ok: true, events: 3 });
  });

  it("rolls the change back when its event cannot be written, with a clear error", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    await auditedTransaction(
      context,
      (trx) => takeLease(trx, "before"),
      (n) => ({ target: { n } }),
      db,
    );
    await refuseAuditWrites(db, dialect);

    const attempt = auditedTransaction(
      context,
      (trx) => takeLease(trx, "refused"),
      (n) => ({ target: { n } }),
      db,
    );
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: "audit_unavailable",
      status: 503,
      message: expect.stringMatching(
        /^Nothing was changed: the audit log could not record/,
      ) as string,
    });
    expect(await leaseExists(db, "refused")).toBe(false);
    expect(await leaseExists(db, "before")).toBe(true);
    // The head did not move either: the chain still verifies.
    expect(await verifyChain(db, [])).toMatchObject({ ok: true, events: 1 });
  });

  it.runIf(dialect === "postgres")(
    "rolls the change back when the connection dies before its event is written",
    async () => {
      database = await createTestDatabase(dialect);
      const db = await database.openMigrated();
      const attempt = auditedTransaction(
        context,
        async (trx) => {
          await takeLease(trx, "lost");
          // The server ends this very connection, as a failover or an administrator would.
          await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx).catch(() => null);
          return "lost";
        },
        (n) => ({ target: { n } }),
        db,
      );
      await expect(attempt).rejects.toThrow(/connection|terminat/i);
      expect(await leaseExists(db, "lost")).toBe(false);
      expect(await verifyChain(db, [])).toMatchObject({ ok: true, events: 0 });
    },
  );

  it("tells the caller's route that the event was recorded, only after it committed", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const seen: number[] = [];
    const watched = { ...context, onRecorded: (e: { seq: number }) => seen.push(e.seq) };
    await recordAuditEvent(watched, { target: {}, outcome: "denied" }, db);
    await expect(
      auditedTransaction(
        watched,
        async (trx) => {
          await takeLease(trx, "y");
          throw new AppError("conflict", "changed my mind");
        },
        () => ({ target: {} }),
        db,
      ),
    ).rejects.toThrow("changed my mind");
    expect(seen).toEqual([1]);
  });

  it("never forks the chain when two processes append at once (1,000 events each)", async () => {
    database = await createTestDatabase(dialect);
    const db = await database.openMigrated();
    const target = database.config.kind === "postgres" ? database.config.url : database.config.file;
    const results = await Promise.all([
      runAppendWorker(target, 1000, "first"),
      runAppendWorker(target, 1000, "second"),
    ]);
    expect(results.map((r) => r.count)).toEqual([1000, 1000]);
    const verification = await verifyChain(db, []);
    expect(verification).toMatchObject({ ok: true, events: 2000, head: { seq: 2000 } });
    const bySeq = await db
      .selectFrom("audit_event")
      .select(({ fn }) => [
        fn.min("seq").as("first"),
        fn.max("seq").as("last"),
        fn.countAll().as("n"),
      ])
      .executeTakeFirstOrThrow();
    expect([Number(bySeq.first), Number(bySeq.last), Number(bySeq.n)]).toEqual([1, 2000, 2000]);
  }, 120_000);
});
