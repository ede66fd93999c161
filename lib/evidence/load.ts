import { reviewDetail } from "@/lib/access-reviews/store";

import "server-only";

import { sql } from "kysely";

import { jsonLineOfRow } from "@/lib/audit/export";
import { runOf, type BackupRun } from "@/lib/backup/runs";
import type { Db } from "@/lib/db/client";
import type { OutOfBandChangeTable } from "@/lib/db/schema/out-of-band/table";
import type { EvidenceKey } from "@/lib/evidence/key-files";
import type { EvidenceChange, EvidenceDecision } from "@/lib/evidence/record-files";
import type { RotationPolicyInfo } from "@/lib/hsm/types";

/* What an evidence pack reads from the database, one section at a time. */

export interface Period {
  from: number;
  to: number;
}

/** Rows per read: small batches keep little alive across awaits, so little reaches the old heap. */
const BATCH = 1_000;

/**
 * The audit extract's rows per read: a batch and its lines are alive until the last line is
 * encoded (about 4 kB of allocation a row), and a batch that outlives two young-generation
 * collections is promoted and piles up as garbage until a full collection. With the smallest
 * semi-space (1 MB) a million events added 320 MB at 1,000 rows a batch, 120 MB at 250, 40 MB
 * at 100.
 */
const AUDIT_BATCH = 100;

/** Where a keyset read goes on from: the last row's sort columns. */
type KeyCursor = { hsm: string; nameLower: string };
type ChangeCursor = { filedAt: number; id: string };

/**
 * The live keys of the HSMs from the inventory mirror, by HSM and name, a batch at a time (keyset
 * on the primary key): the pack never holds the whole inventory.
 */
export async function* evidenceKeys(
  db: Db,
  hsms: readonly string[],
): AsyncGenerator<EvidenceKey[]> {
  if (hsms.length === 0) return;
  for (let after: KeyCursor | null = null; ;) {
    const rows = await keyRows(db, hsms, after);
    if (rows.length === 0) return;
    const last = rows.at(-1)!;
    after = { hsm: last.hsm, nameLower: last.name_lower };
    yield rows.map((row) => ({
      hsm: row.hsm,
      name: row.name,
      kty: row.kty,
      keySize: row.key_size,
      curve: row.curve,
      keyOps: JSON.parse(row.key_ops) as string[],
      enabled: row.enabled === 1,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      updatedAt: row.updated_at,
      versionCount: row.version_count,
      policy: row.policy ? (JSON.parse(row.policy) as RotationPolicyInfo) : null,
      owner: row.owner,
      tags: JSON.parse(row.tags) as Record<string, string>,
    }));
    if (rows.length < BATCH) return;
  }
}

function keyRows(db: Db, hsms: readonly string[], from: KeyCursor | null) {
  return db
    .selectFrom("inventory_key")
    .select([
      "hsm",
      "name",
      "name_lower",
      "kty",
      "key_size",
      "curve",
      "key_ops",
      "enabled",
      "created_at",
      "expires_at",
      "updated_at",
      "version_count",
      "policy",
      "owner",
      "tags",
    ])
    .where("hsm", "in", hsms)
    .where("deleted_at", "is", null)
    .$if(from !== null, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb("hsm", ">", from!.hsm),
          eb.and([eb("hsm", "=", from!.hsm), eb("name_lower", ">", from!.nameLower)]),
        ]),
      ),
    )
    .orderBy("hsm")
    .orderBy("name_lower")
    .limit(BATCH)
    .execute();
}

/**
 * Every request filed in the period for these HSMs or for the portal itself, oldest first, a
 * batch at a time (keyset on filed_at and id) with each batch's decisions.
 */
export async function* evidenceChanges(
  db: Db,
  period: Period,
  hsms: readonly string[],
): AsyncGenerator<EvidenceChange[]> {
  for (let after: ChangeCursor | null = null; ;) {
    const requests = await changeRows(db, period, hsms, after);
    if (requests.length === 0) return;
    const last = requests.at(-1)!;
    after = { filedAt: last.filed_at, id: last.id };
    const decisions = new Map<string, EvidenceDecision[]>();
    const rows = await db
      .selectFrom("change_request_decision")
      .selectAll()
      .where(
        "request_id",
        "in",
        requests.map((r) => r.id),
      )
      .execute();
    for (const row of rows) {
      const list = decisions.get(row.request_id) ?? [];
      list.push({
        approverId: row.approver_id,
        approverName: row.approver_name,
        decision: row.decision,
        comment: row.comment,
        at: row.at,
      });
      decisions.set(row.request_id, list);
    }
    yield requests.map((row) => ({
      id: row.id,
      kind: row.kind,
      hsm: row.hsm,
      summary: row.summary,
      requesterId: row.requester_id,
      requesterName: row.requester_name,
      justification: row.justification,
      state: row.state,
      approvals: row.approvals,
      approvalsRequired: row.approvals_required,
      filedAt: row.filed_at,
      decidedAt: row.decided_at,
      finishedAt: row.finished_at,
      outcome: row.outcome,
      decisions: decisions.get(row.id) ?? [],
    }));
    if (requests.length < BATCH) return;
  }
}

function changeRows(db: Db, period: Period, hsms: readonly string[], from: ChangeCursor | null) {
  return db
    .selectFrom("change_request")
    .selectAll()
    .where("filed_at", ">=", period.from)
    .where("filed_at", "<", period.to)
    .where((eb) =>
      hsms.length > 0
        ? eb.or([eb("hsm", "is", null), eb("hsm", "in", hsms)])
        : eb("hsm", "is", null),
    )
    .$if(from !== null, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb("filed_at", ">", from!.filedAt),
          eb.and([eb("filed_at", "=", from!.filedAt), eb("id", ">", from!.id)]),
        ]),
      ),
    )
    .orderBy("filed_at")
    .orderBy("id")
    .limit(BATCH)
    .execute();
}

/**
 * The backup runs of the period (by when they started, or were due), and each HSM's last good
 * backup before it: the period's first days are as fresh as that backup.
 */
export async function evidenceBackupRuns(
  db: Db,
  period: Period,
  hsms: readonly string[],
): Promise<{ runs: BackupRun[]; goodBefore: BackupRun[] }> {
  if (hsms.length === 0) return { runs: [], goodBefore: [] };
  const when = sql<number>`coalesce(started_at, scheduled_for, created_at)`;
  const runs = await db
    .selectFrom("backup_run")
    .selectAll()
    .where("hsm", "in", hsms)
    .where(when, ">=", period.from)
    .where(when, "<", period.to)
    .orderBy(when)
    .orderBy("id")
    .execute();
  const goodBefore = await Promise.all(
    hsms.map((hsm) =>
      db
        .selectFrom("backup_run")
        .selectAll()
        .where("hsm", "=", hsm)
        .where("state", "=", "succeeded")
        .where("finished_at", "<", period.from)
        .orderBy("finished_at", "desc")
        .limit(1)
        .executeTakeFirst(),
    ),
  );
  return {
    runs: runs.map(runOf),
    goodBefore: goodBefore.flatMap((row) => (row ? [runOf(row)] : [])),
  };
}

/**
 * The out-of-band changes of the HSMs first seen in the period, and those still open from
 * before it: an open one is evidence whatever its age. Oldest first.
 */
export async function evidenceOutOfBand(
  db: Db,
  period: Period,
  hsms: readonly string[],
): Promise<OutOfBandChangeTable[]> {
  if (hsms.length === 0) return [];
  return db
    .selectFrom("out_of_band_change")
    .selectAll()
    .where("hsm", "in", hsms)
    .where("first_seen_at", "<", period.to)
    .where((eb) => eb.or([eb("first_seen_at", ">=", period.from), eb("state", "=", "open")]))
    .orderBy("first_seen_at")
    .orderBy("id")
    .execute();
}

/** One batch of the extract: its lines, and the `seq` to read on from (null at the end). */
async function auditExtractBatch(
  db: Db,
  period: Period,
  after: number,
  last: number,
): Promise<{ lines: string[]; next: number | null }> {
  const rows = await db
    .selectFrom("audit_event")
    .selectAll()
    .where("seq", ">", after)
    .where("seq", "<=", last)
    .orderBy("seq")
    .limit(AUDIT_BATCH)
    .execute();
  const lines = rows
    .filter((row) => row.at >= period.from && row.at < period.to)
    .map(jsonLineOfRow);
  return { lines, next: rows.length === 0 ? null : rows.at(-1)!.seq };
}

/**
 * The access reviews of the HSMs that were open at some time in the period (started before its
 * end, not ended before its start), oldest first, each with its items.
 */
export async function evidenceAccessReviews(db: Db, period: Period, hsms: readonly string[]) {
  if (hsms.length === 0) return [];
  const rows = await db
    .selectFrom("access_review")
    .select("id")
    .where("hsm", "in", hsms)
    .where("started_at", "<", period.to)
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">=", period.from)]))
    .orderBy("started_at")
    .orderBy("id")
    .execute();
  const reviews = [];
  for (const { id } of rows) {
    const review = await reviewDetail(db, id);
    if (review) reviews.push(review);
  }
  return reviews;
}

/**
 * The period's audit events as JSON lines, oldest first, read a batch at a time by `seq`. The
 * period's first and last `seq` are found once through the time index; between them the batches
 * walk the primary key (a time filter on every batch would make SQLite rescan the time index),
 * and the rare event outside the period there is skipped here. Each batch leaves as its list of
 * lines, never joined: the zip writer encodes them one by one, and the batch's rows are dropped
 * before it waits on the download.
 */
export async function* auditExtractLines(db: Db, period: Period): AsyncGenerator<string[]> {
  const bounds = await db
    .selectFrom("audit_event")
    .select((eb) => [eb.fn.min("seq").as("first"), eb.fn.max("seq").as("last")])
    .where("at", ">=", period.from)
    .where("at", "<", period.to)
    .executeTakeFirst();
  if (bounds?.first == null || bounds.last == null) return;
  let after = Number(bounds.first) - 1;
  const last = Number(bounds.last);
  while (after < last) {
    const { lines, next } = await auditExtractBatch(db, period, after, last);
    if (next === null) return;
    if (lines.length > 0) yield lines;
    after = next;
  }
}
