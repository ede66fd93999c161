import "server-only";

import { createHash } from "node:crypto";

import { recordInTransaction } from "@/lib/audit/service";
import { systemActor } from "@/lib/audit/types";
import { assessFreshness, HOUR_MS, type BackupFreshness } from "@/lib/backup/freshness";
import { lastGoodBackups } from "@/lib/backup/freshness-store";
import type { Db } from "@/lib/db/client";
import { enqueueNotification } from "@/lib/notify/outbox";
import type { RequestNotify } from "@/lib/notify/request-event";

/*
 * The freshness alert: `keyward.backup.stale` to the notification webhook once when an HSM's
 * last good backup crosses the threshold (or it has none), and `keyward.backup.fresh` once when
 * a good backup ends that. What was last told is remembered per HSM; the change of that memory,
 * the notification and the audit event commit together, and only the instance whose guarded
 * write changed the memory sends, so each crossing is alerted once.
 */

export type FreshnessEvent = "stale" | "fresh";

export interface FreshnessAlertPayload {
  type: `keyward.backup.${FreshnessEvent}`;
  /** The event's id, also sent as Keyward-Event-Id. */
  id: string;
  hsm: string;
  state: BackupFreshness["state"];
  lastGoodAt: string | null;
  ageHours: number | null;
  thresholdHours: number;
  message: string;
  at: string;
  url: string;
}

export interface FreshnessAlertDeps {
  db: Db;
  notify: RequestNotify;
  hsms: readonly string[];
  thresholdMs: number;
  now: number;
}

const ALERT_ACTOR = systemActor("backup freshness alert");
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());
const inHours = (ms: number) => Math.round((ms / HOUR_MS) * 10) / 10;

/** One id per HSM, event and last good backup: a crossing is about one last good backup. */
function alertId(hsm: string, event: FreshnessEvent, lastGoodAt: number | null): string {
  return createHash("sha256")
    .update(`backup-freshness:${hsm}:${event}:${lastGoodAt ?? "none"}`)
    .digest("hex")
    .slice(0, 32);
}

export function freshnessPayload(
  freshness: BackupFreshness,
  at: number,
  notify: RequestNotify,
): FreshnessAlertPayload {
  const event: FreshnessEvent = freshness.state === "fresh" ? "fresh" : "stale";
  return {
    type: `keyward.backup.${event}`,
    id: alertId(freshness.hsm, event, freshness.lastGoodAt),
    hsm: freshness.hsm,
    state: freshness.state,
    lastGoodAt: iso(freshness.lastGoodAt),
    ageHours: freshness.ageMs === null ? null : inHours(freshness.ageMs),
    thresholdHours: inHours(freshness.thresholdMs),
    message: freshness.message,
    at: new Date(at).toISOString(),
    url: `${notify.publicUrl}/backups`,
  };
}

/** Moves the HSM's remembered state from `from` (undefined: never alerted) to `to`; false if another got there first. */
async function remember(
  trx: Db,
  freshness: BackupFreshness,
  from: FreshnessEvent | undefined,
  to: FreshnessEvent,
  now: number,
): Promise<boolean> {
  const row = { state: to, last_good_at: freshness.lastGoodAt, changed_at: now };
  if (from === undefined) {
    const inserted = await trx
      .insertInto("backup_freshness_alert")
      .values({ hsm: freshness.hsm, ...row })
      .onConflict((oc) => oc.column("hsm").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await trx
    .updateTable("backup_freshness_alert")
    .set(row)
    .where("hsm", "=", freshness.hsm)
    .where("state", "=", from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * Queues the alerts due now, each with its audit event, and returns the payloads queued. An HSM
 * never alerted counts as told "fresh": a fresh one needs no word, a stale one an alert.
 */
export async function alertBackupFreshness(
  deps: FreshnessAlertDeps,
): Promise<FreshnessAlertPayload[]> {
  const { db, hsms, thresholdMs, now } = deps;
  if (hsms.length === 0) return [];
  const told = new Map(
    (
      await db
        .selectFrom("backup_freshness_alert")
        .select(["hsm", "state"])
        .where("hsm", "in", hsms)
        .execute()
    ).map((row) => [row.hsm, row.state]),
  );
  const lastGood = await lastGoodBackups(db, hsms);
  const sent: FreshnessAlertPayload[] = [];
  for (const hsm of hsms) {
    const state = assessFreshness(hsm, lastGood.get(hsm) ?? null, thresholdMs, now).state;
    const from = told.get(hsm);
    if ((state === "fresh" ? "fresh" : "stale") === (from ?? "fresh")) continue;
    const payload = await db.transaction().execute(async (trx) => {
      // Re-read in the transaction: a backup may have settled since the first look.
      const current = assessFreshness(
        hsm,
        (await lastGoodBackups(trx, [hsm])).get(hsm) ?? null,
        thresholdMs,
        now,
      );
      const to: FreshnessEvent = current.state === "fresh" ? "fresh" : "stale";
      if (to === (from ?? "fresh") || !(await remember(trx, current, from, to, now))) return null;
      const alert = freshnessPayload(current, now, deps.notify);
      await enqueueNotification(
        trx,
        { id: alert.id, kind: alert.type, payload: alert, target: "notify", at: now },
        now,
      );
      await recordInTransaction(
        trx,
        { actor: ALERT_ACTOR, requestId: null, action: `backup.${to}` },
        {
          target: { hsm },
          outcome: to === "stale" ? "failed" : "succeeded",
          detail: {
            state: current.state,
            lastGoodAt: alert.lastGoodAt,
            ageHours: alert.ageHours,
            thresholdHours: alert.thresholdHours,
            message: current.message,
            notification: alert.id,
          },
        },
      );
      return alert;
    });
    if (payload) sent.push(payload);
  }
  return sent;
}
