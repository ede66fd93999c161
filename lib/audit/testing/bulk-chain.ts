import { chainLink } from "@/lib/audit/chain";
import { toRow } from "@/lib/audit/record";
import type { Db } from "@/lib/db/client";

/*
 * Benchmarks' data: `count` more events appended to a database's chain in bulk (500 rows per
 * insert, 10,000 per transaction), hashed as the service hashes them, with a varied mix of
 * actors, actions, targets and outcomes. It holds the head for each whole transaction, as an
 * append does, so a portal appending meanwhile keeps the chain whole.
 */

const ACTIONS = ["sod.rule.update", "session.sign-in", "calendar.feed.create", "sync.start"];
const ROWS_PER_INSERT = 500;
const ROWS_PER_TRANSACTION = 10_000;

export async function appendBulkEvents(db: Db, count: number, firstAt = Date.UTC(2026, 0, 1)) {
  let written = 0;
  while (written < count) {
    const size = Math.min(ROWS_PER_TRANSACTION, count - written);
    await db.transaction().execute(async (trx) => {
      // A no-op update takes the head's lock first, as an append does.
      let head = await trx
        .updateTable("audit_head")
        .set((eb) => ({ seq: eb.ref("seq") }))
        .where("id", "=", 1)
        .returning(["seq", "hash", "at"])
        .executeTakeFirstOrThrow();
      // Each event a second after the last, and never before the head's: time runs forward.
      const start = Math.max(firstAt, head.at + 1000) - head.seq * 1000;
      for (let done = 0; done < size; done += ROWS_PER_INSERT) {
        const rows = [];
        for (let i = 0; i < Math.min(ROWS_PER_INSERT, size - done); i += 1) {
          const n = head.seq;
          const event = chainLink(
            {
              at: start + n * 1000,
              actor: { type: "user", id: `user-${n % 97}`, name: `User ${n % 97}` },
              action: ACTIONS[n % ACTIONS.length]!,
              target: { hsm: "keyward-weu", key: `key-${n % 5000}` },
              outcome: n % 50 === 0 ? "denied" : "succeeded",
              detail: { status: 200, note: `event ${n}` },
              requestId: `req-${n}`,
            },
            head,
          );
          rows.push(toRow(event));
          head = event;
        }
        await trx.insertInto("audit_event").values(rows).execute();
      }
      await trx
        .updateTable("audit_head")
        .set({ seq: head.seq, hash: head.hash, at: head.at })
        .where("id", "=", 1)
        .execute();
    });
    written += size;
  }
}
