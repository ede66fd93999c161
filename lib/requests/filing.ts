import "server-only";

import { randomUUID } from "node:crypto";
import pLimit from "p-limit";

import type { PrincipalKind } from "@/lib/access/model";
import { recordInTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import { restoreRefusal } from "@/lib/backup/restore-rules";
import { readRestoreState, type RestoreItem } from "@/lib/backup/restore-state";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import type { RequestNotify } from "@/lib/notify/request-event";
import { requestSummary } from "@/lib/requests/describe";
import {
  ownerGroups,
  parseItems,
  prepare,
  refuseDuplicates,
  refuseUnsupportedPolicies,
  targetWords,
} from "@/lib/requests/filing-items";
import {
  isRestoreKind,
  PORTAL_KINDS,
  SCHEDULE_KINDS,
  type AnyItem,
  type RequestKind,
} from "@/lib/requests/kinds";
import { readTargetState } from "@/lib/requests/live-state";
import { queueRequestEvent } from "@/lib/requests/notify";
import { currentPolicy } from "@/lib/requests/policies";
import { requiredApprovals } from "@/lib/requests/policy";
import { portalTargetState } from "@/lib/requests/portal-state";
import { scheduleTargetState } from "@/lib/requests/schedule-state";
import { addTimelineEvent, requestDetail } from "@/lib/requests/store";
import { filingRefusal, stateHash, type TargetState } from "@/lib/requests/target-state";
import type { RequestDetail, RequestPerson } from "@/lib/requests/types";
import { selfServiceTerms } from "@/lib/self-service/filing-check";
import type { Finding } from "@/lib/sod/types";
import { expandTemplateItems } from "@/lib/templates/filing-terms";

/*
 * Filing a change request: every item is checked against its kind's schema and against the
 * HSM's state read live now (a change that cannot apply is refused before anyone reviews it),
 * the state is kept with a hash for the staleness check before execution, and the request, its
 * items, its first timeline line and its audit event commit together.
 */

export interface FilingInput {
  kind: RequestKind;
  hsm?: string | undefined;
  justification: string;
  items: unknown[];
}

export interface FilingDeps {
  db: Db;
  handleOf: (hsm: string) => HsmHandle;
  sealKeys: readonly Buffer[];
  now?: () => number;
  /** Set when the notification webhook is: the filing queues its event. */
  notify?: RequestNotify | undefined;
  /** What a principal is (the directory); the cache alone when absent. */
  principalKindOf?: (id: string) => Promise<PrincipalKind>;
  /**
   * The critical separation-of-duties findings the role assignments would add: set for filers
   * who may file only for their own keys, whose requests such a finding refuses.
   */
  criticalFindingsOf?: (
    hsm: string,
    added: { scope: string; roleDefinitionId: string; principalId: string; name: string }[],
  ) => Promise<Finding[]>;
  /**
   * A change of the portal's own data that stands or falls with the filing (an access review's
   * flag): run in the filing's transaction, before its audit event; throwing undoes the filing.
   */
  inFilingTransaction?: (trx: Db, requestId: string) => Promise<void>;
}

/** The person filing; `ownGroupsOnly` holds their groups when they may file only for their keys. */
export type Filer = RequestPerson & { ownGroupsOnly?: ReadonlySet<string> | undefined };

/** How many live reads one filing makes at once (a bulk of 500 keys reads 500 targets). */
const READ_CONCURRENCY = 8;

/** Refuses a template whose HSMs the portal does not know. */
function refuseUnknownHsms(deps: FilingDeps, items: AnyItem[]): void {
  for (const [index, item] of items.entries())
    for (const [position, hsm] of ((item as { hsms?: string[] }).hsms ?? []).entries())
      try {
        deps.handleOf(hsm);
      } catch {
        throw new AppError("validation_failed", `The portal has no HSM named ${hsm}.`, {
          fieldErrors: [
            { in: "body", pointer: `/items/${index}/hsms/${position}`, detail: "no such HSM" },
          ],
        });
      }
}

/** Refuses a requester's grant that would add a critical separation-of-duties finding. */
async function refuseCriticalFindings(
  deps: FilingDeps,
  hsm: string,
  prepared: { change: Record<string, unknown> }[],
): Promise<void> {
  if (!deps.criticalFindingsOf) return;
  const findings = await deps.criticalFindingsOf(
    hsm,
    prepared.map(({ change }) => ({
      scope: String(change.scope),
      roleDefinitionId: String(change.roleDefinitionId),
      principalId: String(change.principalId),
      name: String(change.name),
    })),
  );
  if (findings.length > 0)
    throw new AppError(
      "conflict",
      `This access would create a critical separation-of-duties finding: ${findings[0]!.summary} Ask the key team.`,
    );
}

async function filedWithKey(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("change_request")
    .select("id")
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
  return row?.id;
}

export async function fileRequest(
  deps: FilingDeps,
  filer: Filer,
  input: FilingInput,
  audit: AuditContext,
  idempotencyKey?: string,
): Promise<{ request: RequestDetail; created: boolean }> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const key = idempotencyKey ? `${filer.id}:${idempotencyKey}` : randomUUID();
  if (idempotencyKey) {
    const existing = await filedWithKey(db, key);
    if (existing) return { request: (await requestDetail(db, existing))!, created: false };
  }
  const portalKind = PORTAL_KINDS.has(input.kind);
  if (!portalKind && !input.hsm)
    throw new AppError("validation_failed", `A ${input.kind} request names the HSM it changes.`, {
      fieldErrors: [{ in: "body", pointer: "/hsm", detail: "required for this kind" }],
    });
  const hsm = portalKind ? null : input.hsm!;
  const handle = hsm ? deps.handleOf(hsm) : null;
  const expanded = await expandTemplateItems(db, input.kind, hsm, input.items, now());
  const items = parseItems(input.kind, expanded.items);
  if (input.kind === "key.rotation-policy") refuseUnsupportedPolicies(items, now());
  if (input.kind === "template.upsert") refuseUnknownHsms(deps, items);
  const terms = await selfServiceTerms(
    { db, principalKindOf: deps.principalKindOf },
    {
      kind: input.kind,
      hsm,
      items,
      fromTemplate: expanded.template,
      ownGroupsOnly: filer.ownGroupsOnly,
      now: now(),
    },
  );
  const prepared = await Promise.all(
    items.map((item) => prepare(db, input.kind, hsm, item, deps.sealKeys)),
  );
  refuseDuplicates(prepared.map((p) => p.target));
  if (filer.ownGroupsOnly && input.kind === "role-assignment.create")
    await refuseCriticalFindings(deps, hsm!, prepared);

  const limit = pLimit(READ_CONCURRENCY);
  const states = await Promise.all(
    prepared.map((p) =>
      limit(async (): Promise<TargetState> =>
        SCHEDULE_KINDS.has(input.kind)
          ? scheduleTargetState(db, hsm!, { name: p.target.schedule! })
          : handle && isRestoreKind(input.kind)
            ? readRestoreState(db, handle, input.kind, p.change as RestoreItem, "interactive")
            : handle
              ? readTargetState(handle, input.kind, p.change as AnyItem, "interactive")
              : portalTargetState(db, input.kind, p.target),
      ),
    ),
  );
  states.forEach((state, index) => {
    const refusal = isRestoreKind(input.kind)
      ? restoreRefusal(input.kind, items[index] as RestoreItem, state, hsm!, now())
      : filingRefusal(input.kind, items[index]!, state, hsm ?? "portal");
    if (refusal)
      throw new AppError(
        refusal.code,
        prepared.length > 1
          ? `Item ${index} (${targetWords(prepared[index]!.target)}): ${refusal.reason}`
          : refusal.reason,
        {
          fieldErrors: [{ in: "body", pointer: `/items/${index}`, detail: refusal.reason }],
        },
      );
  });

  const policy = await currentPolicy(db, input.kind);
  // A request inside its key template's limits needs the template's approvals (0: none).
  const required =
    terms.templateApprovals ??
    requiredApprovals(
      policy,
      prepared.map((p) => p.target.scope ?? ""),
    );
  const template = terms.templateApprovals === null ? null : terms.template;
  const owners = await ownerGroups(db, input.kind, hsm, prepared);
  const id = randomUUID();
  const filedAt = now();
  const summary = requestSummary(
    input.kind,
    hsm,
    prepared.map((p) => p.target),
  );
  const filed = db.transaction().execute(async (trx) => {
    await trx
      .insertInto("change_request")
      .values({
        id,
        kind: input.kind,
        hsm,
        state: required === 0 ? "approved" : "pending",
        justification: input.justification,
        requester_id: filer.id,
        requester_name: filer.name,
        owner_groups: JSON.stringify(owners),
        policy: JSON.stringify(policy),
        approvals_required: required,
        approvals: 0,
        item_count: prepared.length,
        summary,
        idempotency_key: key,
        filed_at: filedAt,
        expires_at: filedAt + policy.windowHours * 3_600_000,
        updated_at: filedAt,
        decided_at: required === 0 ? filedAt : null,
        finished_at: null,
        outcome: null,
      })
      .execute();
    for (let i = 0; i < prepared.length; i += 100)
      await trx
        .insertInto("change_request_item")
        .values(
          prepared.slice(i, i + 100).map((p, offset) => ({
            request_id: id,
            position: i + offset,
            target: JSON.stringify(p.target),
            change: JSON.stringify(p.change),
            sealed_secret: p.sealedSecret,
            before: JSON.stringify(states[i + offset]),
            before_hash: stateHash(states[i + offset]!),
            state: "pending",
            attempts: 0,
            result: null,
            error: null,
            started_at: null,
            claimed_until: null,
            finished_at: null,
          })),
        )
        .execute();
    await addTimelineEvent(trx, id, {
      at: filedAt,
      actor: filer.name,
      what: "filed",
      detail: {
        approvalsRequired: required,
        items: prepared.length,
        ...(template ? { template } : {}),
      },
    });
    if (required === 0)
      await addTimelineEvent(trx, id, {
        at: filedAt,
        actor: "Keyward",
        what: "approved",
        detail: { template, reason: `the key template ${template} needs no approval` },
      });
    await queueRequestEvent(trx, deps.notify, id, "filed", filedAt);
    await deps.inFilingTransaction?.(trx, id);
    return recordInTransaction(trx, audit, {
      target: { request: id, kind: input.kind, hsm },
      detail: {
        summary,
        items: prepared.length,
        approvalsRequired: required,
        ...(template ? { template } : {}),
      },
    });
  });
  try {
    // The route learns its event is recorded (committed with the request), so it adds none.
    const event = await filed;
    audit.onRecorded?.(event);
  } catch (error) {
    // The same Idempotency-Key filed at the same moment: the first filing stands.
    const first = idempotencyKey ? await filedWithKey(db, key) : undefined;
    if (first) return { request: (await requestDetail(db, first))!, created: false };
    throw error;
  }
  return { request: (await requestDetail(db, id))!, created: true };
}
