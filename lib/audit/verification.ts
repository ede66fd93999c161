import "server-only";

import { randomUUID } from "node:crypto";

import { storedEventHash } from "@/lib/audit/chain";
import { checkpointClaims } from "@/lib/audit/checkpoints";
import { ChainVerifier, type ChainVerification, type CheckpointClaim } from "@/lib/audit/verify";
import { getDb, type Db } from "@/lib/db/client";

/*
 * Walks the whole chain from the database in `seq` order, a batch at a time (memory stays flat
 * however long the log is), against the checkpoints read from outside the database, and keeps
 * the outcome for the audit page's banner.
 */

/**
 * Rows per read. A batch is alive while its rows are hashed (about 3 kB of allocation a row); a
 * batch that outlives two young-generation collections is promoted to the old generation and
 * piles up there as garbage until a full collection: with the smallest semi-space (1 MB), 300 MB
 * over a million events at 5,000 or 500 rows a batch. At 250 a batch dies young.
 */
const BATCH = 250;

/** The columns the content hash and the links need. */
const VERIFIED_COLUMNS = [
  "seq",
  "at",
  "actor",
  "action",
  "target",
  "outcome",
  "detail",
  "request_id",
  "prev_hash",
  "hash",
] as const;

export interface StoredVerification extends ChainVerification {
  id: string;
  at: number;
  durationMs: number;
}

/**
 * Every stored event, in order, a batch at a time (keyset on seq: no OFFSET, no open cursor
 * between batches). Whole batches, not rows: a promise per row would be a million more objects.
 */
export async function* auditEventBatches(db: Db, batch = BATCH) {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_event")
      .select(VERIFIED_COLUMNS)
      .where("seq", ">", after)
      .orderBy("seq")
      .limit(batch)
      .execute();
    yield rows;
    if (rows.length < batch) return;
    after = rows.at(-1)!.seq;
  }
}

export async function verifyChain(
  db: Db,
  checkpoints: readonly CheckpointClaim[],
): Promise<ChainVerification> {
  const verifier = new ChainVerifier(checkpoints);
  for await (const rows of auditEventBatches(db))
    for (const row of rows)
      verifier.push({
        seq: row.seq,
        prevHash: row.prev_hash,
        hash: row.hash,
        contentHash: storedEventHash(row),
      });
  const head = await db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirst();
  return verifier.finish(head ?? null);
}

/** Verifies the chain against the checkpoints in storage and records the outcome. */
export async function verifyAuditLog(db?: Db): Promise<StoredVerification> {
  return verifyAndRecord(await checkpointClaims(), db);
}

/** Verifies the chain and records the outcome. */
export async function verifyAndRecord(
  checkpoints: readonly CheckpointClaim[],
  db?: Db,
): Promise<StoredVerification> {
  const database = db ?? (await getDb());
  const startedAt = Date.now();
  const result = await verifyChain(database, checkpoints);
  const stored: StoredVerification = {
    ...result,
    id: randomUUID(),
    at: Date.now(),
    durationMs: Date.now() - startedAt,
  };
  await database
    .insertInto("audit_verification")
    .values({
      id: stored.id,
      at: stored.at,
      ok: stored.ok ? 1 : 0,
      events: stored.events,
      head_seq: stored.head.seq,
      head_hash: stored.head.hash,
      checkpoints: stored.checkpoints,
      last_checkpoint_at: stored.lastCheckpoint?.at ?? null,
      problems: JSON.stringify({
        problems: stored.problems,
        moreProblems: stored.moreProblems,
        lastCheckpointSeq: stored.lastCheckpoint?.seq ?? null,
      }),
      duration_ms: stored.durationMs,
    })
    .execute();
  return stored;
}

/** The most recent verification, or null when the chain was never verified. */
export async function latestVerification(db?: Db): Promise<StoredVerification | null> {
  const database = db ?? (await getDb());
  const row = await database
    .selectFrom("audit_verification")
    .selectAll()
    .orderBy("at", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const stored = JSON.parse(row.problems) as {
    problems: ChainVerification["problems"];
    moreProblems: number;
    lastCheckpointSeq: number | null;
  };
  return {
    id: row.id,
    at: row.at,
    durationMs: row.duration_ms,
    ok: row.ok === 1,
    events: row.events,
    head: { seq: row.head_seq, hash: row.head_hash },
    checkpoints: row.checkpoints,
    lastCheckpoint:
      row.last_checkpoint_at !== null && stored.lastCheckpointSeq !== null
        ? { seq: stored.lastCheckpointSeq, at: row.last_checkpoint_at }
        : null,
    problems: stored.problems,
    moreProblems: stored.moreProblems,
  };
}

/** What the verify command, route and page answer: the chain against every checkpoint. */
export function describeVerification(verification: StoredVerification) {
  return {
    ok: verification.ok,
    verifiedAt: new Date(verification.at).toISOString(),
    durationMs: verification.durationMs,
    events: verification.events,
    head: verification.head,
    checkpoints: verification.checkpoints,
    lastCheckpoint: verification.lastCheckpoint && {
      seq: verification.lastCheckpoint.seq,
      at: new Date(verification.lastCheckpoint.at).toISOString(),
    },
    problems: verification.problems,
    moreProblems: verification.moreProblems,
  };
}
