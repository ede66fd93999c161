import "server-only";

import { z } from "zod";

import type { Db } from "@/lib/db/client";
import type { ChangeRequestItemTable, ChangeRequestTable } from "@/lib/db/schema/requests/table";
import type { RequestKind } from "@/lib/requests/kind-names";
import { approvalPolicy } from "@/lib/requests/policy";
import type { ItemState, RequestState } from "@/lib/requests/state-machine";
import type { TargetState } from "@/lib/requests/target-state";
import type {
  RequestDecision,
  RequestDetail,
  RequestEventView,
  RequestItem,
  RequestSummary,
} from "@/lib/requests/types";

/* Rows of the change-request tables to the service's shapes and back. JSON is parsed on read. */

const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const record = z.record(z.string(), z.unknown());
const stringRecord = z.record(z.string(), z.string());
const acknowledgement = z.object({ reason: z.string(), findings: z.array(z.string()) }).nullable();

export function toSummary(row: ChangeRequestTable): RequestSummary {
  return {
    id: row.id,
    kind: row.kind as RequestKind,
    hsm: row.hsm,
    state: row.state as RequestState,
    summary: row.summary,
    justification: row.justification,
    requester: { id: row.requester_id, name: row.requester_name },
    itemCount: row.item_count,
    approvalsRequired: row.approvals_required,
    approvals: row.approvals,
    filedAt: row.filed_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
  };
}

export function toItem(row: ChangeRequestItemTable): RequestItem {
  return {
    position: row.position,
    target: stringRecord.parse(json(row.target)),
    change: record.parse(json(row.change)),
    before: json(row.before) as TargetState | null,
    after: json(row.result),
    state: row.state as ItemState,
    attempts: row.attempts,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function findRequestRow(db: Db, id: string): Promise<ChangeRequestTable | undefined> {
  return db.selectFrom("change_request").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function requestDetail(db: Db, id: string): Promise<RequestDetail | null> {
  const row = await findRequestRow(db, id);
  if (!row) return null;
  const [items, decisions, events] = await Promise.all([
    db
      .selectFrom("change_request_item")
      .selectAll()
      .where("request_id", "=", id)
      .orderBy("position")
      .execute(),
    db
      .selectFrom("change_request_decision")
      .selectAll()
      .where("request_id", "=", id)
      .orderBy("at")
      .execute(),
    db
      .selectFrom("change_request_event")
      .selectAll()
      .where("request_id", "=", id)
      .orderBy("n")
      .execute(),
  ]);
  return {
    ...toSummary(row),
    ownerGroups: z.array(z.string()).parse(JSON.parse(row.owner_groups)),
    policy: approvalPolicy.parse(JSON.parse(row.policy)),
    items: items.map(toItem),
    decisions: decisions.map((d): RequestDecision => ({
      approver: { id: d.approver_id, name: d.approver_name },
      decision: d.decision === "approve" ? "approve" : "reject",
      comment: d.comment,
      acknowledgement: acknowledgement.parse(json(d.acknowledgement)),
      at: d.at,
    })),
    timeline: events.map((e): RequestEventView => ({
      at: e.at,
      actor: e.actor_name,
      what: e.what,
      detail: record.parse(JSON.parse(e.detail)),
    })),
  };
}

/** Appends a line to a request's timeline (in the caller's transaction). */
export async function addTimelineEvent(
  trx: Db,
  requestId: string,
  event: { at: number; actor: string; what: string; detail?: Record<string, unknown> },
): Promise<void> {
  const last = await trx
    .selectFrom("change_request_event")
    .select((eb) => eb.fn.max("n").as("n"))
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  await trx
    .insertInto("change_request_event")
    .values({
      request_id: requestId,
      n: Number(last?.n ?? 0) + 1,
      at: event.at,
      actor_name: event.actor,
      what: event.what,
      detail: JSON.stringify(event.detail ?? {}),
    })
    .execute();
}
