import "server-only";

import { createHash, randomUUID } from "node:crypto";

import { recordInTransaction } from "@/lib/audit/service";
import { systemActor } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import { enqueueNotification } from "@/lib/notify/outbox";
import type { RequestNotify } from "@/lib/notify/request-event";
import { describeChange } from "@/lib/out-of-band/describe";
import {
  diffSnapshots,
  outOfBandChanges,
  type MirrorSnapshot,
  type ObservedChange,
} from "@/lib/out-of-band/rules";
import {
  portalWritesSince,
  previousSyncStart,
  readMirrorSnapshot,
  type MirrorPart,
} from "@/lib/out-of-band/snapshot";

/*
 * Detection as part of a sync: the mirror read before and after it, the portal's own writes of
 * the interval since the previous sync, and what is left recorded — the rows, one audit event per
 * change (the system actor) and one notification for the batch, in one transaction.
 */

export const DETECTION_ACTOR = systemActor("out-of-band detection");
/** Several instances' clocks may differ a little: the interval starts this much earlier. */
const CLOCK_MARGIN_MS = 60_000;
/** The webhook names at most this many changes; the rest are counted and on the portal. */
const NOTIFIED_CHANGES = 50;
/** Rows per insert and names per look-up. */
const CHUNK = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface DetectionInput {
  hsm: string;
  /** The sync run that read the HSM; null for a refresh the portal made without a run row. */
  runId: string | null;
  before: MirrorSnapshot;
  after: MirrorSnapshot;
  /** Set when the notification webhook is: the batch is queued to it. */
  notify?: RequestNotify | undefined;
  now?: number;
}

export interface OutOfBandPayload {
  type: "keyward.out-of-band.detected";
  id: string;
  hsm: string;
  count: number;
  changes: {
    id: string;
    subjectKind: string;
    subjectName: string;
    what: string;
    summary: string;
  }[];
  at: string;
  url: string;
}

/**
 * Runs `write`, which replaces `part` of the HSM's mirror with what it reads from the HSM, and
 * records what changed there that the portal did not do: for the portal's own refreshes of what
 * it changed, which would otherwise absorb a change made behind its back meanwhile.
 */
export async function withDetection<T>(
  db: Db,
  hsm: string,
  part: MirrorPart,
  notify: RequestNotify | undefined,
  write: () => Promise<T>,
): Promise<T> {
  const before = await readMirrorSnapshot(db, hsm, part);
  const result = await write();
  const after = await readMirrorSnapshot(db, hsm, part);
  await detectOutOfBand(db, { hsm, runId: null, before, after, notify });
  return result;
}

/** Compares, and records what the portal did not do; returns what it recorded. */
export async function detectOutOfBand(
  db: Db,
  input: DetectionInput,
): Promise<(ObservedChange & { id: string })[]> {
  const since = await previousSyncStart(db, input.hsm, input.runId ?? "");
  if (since === null) return [];
  const observed = diffSnapshots(input.before, input.after);
  if (observed.length === 0) return [];
  const writes = await portalWritesSince(db, input.hsm, since - CLOCK_MARGIN_MS);
  const found = outOfBandChanges(observed, writes).map((change) => ({
    ...change,
    id: randomUUID(),
  }));
  if (found.length === 0) return [];
  const now = input.now ?? Date.now();
  const recorded = await db.transaction().execute(async (trx) => {
    const fresh = await notRecordedYet(trx, input.hsm, found);
    if (fresh.length === 0) return fresh;
    // In chunks: one statement's parameters are limited (SQLite 32,766, PostgreSQL 65,535).
    for (const chunk of chunks(fresh, CHUNK))
      await trx
        .insertInto("out_of_band_change")
        .values(
          chunk.map((change) => ({
            id: change.id,
            hsm: input.hsm,
            subject_kind: change.subjectKind,
            subject_name: change.subjectName,
            key_lower: change.keyLower,
            what: change.what,
            before: change.before === null ? null : JSON.stringify(change.before),
            after: change.after === null ? null : JSON.stringify(change.after),
            sync_run_id: input.runId,
            first_seen_at: now,
            state: "open",
            explained_by: null,
            explained_by_name: null,
            explained_at: null,
            reason: null,
          })),
        )
        .execute();
    for (const change of fresh)
      await recordInTransaction(
        trx,
        { actor: DETECTION_ACTOR, requestId: null, action: "out-of-band.detect" },
        {
          target: { hsm: input.hsm, [change.subjectKind]: change.subjectName, change: change.id },
          outcome: "succeeded",
          detail: {
            what: change.what,
            summary: describeChange(change),
            before: change.before,
            after: change.after,
            syncRun: input.runId,
          },
        },
      );
    if (input.notify) {
      const payload = detectionPayload(
        input.hsm,
        input.runId ?? randomUUID(),
        fresh,
        now,
        input.notify,
      );
      await enqueueNotification(
        trx,
        { id: payload.id, kind: payload.type, payload, target: "notify", at: now },
        now,
      );
    }
    return fresh;
  });
  return recorded;
}

/**
 * Drops changes already open with the same outcome: a key refreshed while its HSM syncs is seen
 * changed by both, and the change is one change.
 */
async function notRecordedYet<T extends ObservedChange>(
  trx: Db,
  hsm: string,
  found: T[],
): Promise<T[]> {
  const open = [];
  for (const names of chunks([...new Set(found.map((change) => change.subjectName))], CHUNK))
    open.push(
      ...(await trx
        .selectFrom("out_of_band_change")
        .select(["subject_kind", "subject_name", "what", "after"])
        .where("hsm", "=", hsm)
        .where("state", "=", "open")
        .where("subject_name", "in", names)
        .execute()),
    );
  const seen = new Set(
    open.map((row) => `${row.subject_kind}\n${row.subject_name}\n${row.what}\n${row.after}`),
  );
  return found.filter(
    (change) =>
      !seen.has(
        `${change.subjectKind}\n${change.subjectName}\n${change.what}\n${change.after === null ? null : JSON.stringify(change.after)}`,
      ),
  );
}

/** One notification per sync run (or refresh) that found changes; its id is stable for the run. */
export function detectionPayload(
  hsm: string,
  runId: string,
  found: (ObservedChange & { id: string })[],
  at: number,
  notify: RequestNotify,
): OutOfBandPayload {
  const id = createHash("sha256").update(`out-of-band:${runId}`).digest("hex").slice(0, 32);
  return {
    type: "keyward.out-of-band.detected",
    id,
    hsm,
    count: found.length,
    changes: found.slice(0, NOTIFIED_CHANGES).map((change) => ({
      id: change.id,
      subjectKind: change.subjectKind,
      subjectName: change.subjectName,
      what: change.what,
      summary: describeChange(change),
    })),
    at: new Date(at).toISOString(),
    url: `${notify.publicUrl}/overview`,
  };
}
