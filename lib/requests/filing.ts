import "server-only";

import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import type { z } from "zod";

import { recordInTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import { restoreRefusal } from "@/lib/backup/restore-rules";
import { readRestoreState, type RestoreItem } from "@/lib/backup/restore-state";
import { seal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";
import { AppError, type FieldError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { normaliseScope } from "@/lib/hsm/role-assignments";
import type { RequestNotify } from "@/lib/notify/request-event";
import { requestSummary } from "@/lib/requests/describe";
import {
  isRestoreKind,
  KEY_KINDS,
  PORTAL_KINDS,
  REQUEST_KINDS,
  SCHEDULE_KINDS,
  type AnyItem,
  type ItemOf,
  type RequestKind,
} from "@/lib/requests/kinds";
import { readTargetState } from "@/lib/requests/live-state";
import { queueRequestEvent } from "@/lib/requests/notify";
import { currentPolicy } from "@/lib/requests/policies";
import { requiredApprovals } from "@/lib/requests/policy";
import { scheduleTargetState } from "@/lib/requests/schedule-state";
import { addTimelineEvent, requestDetail } from "@/lib/requests/store";
import {
  filingRefusal,
  normalisedPolicy,
  stateHash,
  type TargetState,
} from "@/lib/requests/target-state";
import type { RequestDetail, RequestPerson } from "@/lib/requests/types";
import { policyViolation } from "@/lib/rotation/schedule";
import { isGuid } from "@/lib/validation/primitives";

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
}

const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;
/** How many live reads one filing makes at once (a bulk of 500 keys reads 500 targets). */
const READ_CONCURRENCY = 8;

function parseItems(kind: RequestKind, items: unknown[]): AnyItem[] {
  const schema: z.ZodType = REQUEST_KINDS[kind].item;
  const errors: FieldError[] = [];
  const parsed = items.map((item, index) => {
    const result = schema.safeParse(item);
    if (!result.success)
      for (const issue of result.error.issues)
        errors.push({
          in: "body",
          pointer: `/items/${index}${issue.path.map((part) => `/${String(part)}`).join("")}`,
          detail: issue.message,
        });
    return result.data as AnyItem;
  });
  if (errors.length > 0)
    throw new AppError(
      "validation_failed",
      `${errors.length === 1 ? "An item is" : "Some items are"} not a valid ${kind} change: ${errors[0]!.pointer} ${errors[0]!.detail}.`,
      { fieldErrors: errors.slice(0, 50) },
    );
  return parsed;
}

/**
 * Managed HSM's own rules for rotation policies (no Notify, nothing under 28 days, a trigger
 * before expiry needs an expiry): a policy the HSM would refuse is refused now, not after its
 * approvals at execution.
 */
function refuseUnsupportedPolicies(items: AnyItem[], now: number): void {
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const policy = normalisedPolicy((item as ItemOf<"key.rotation-policy">).policy);
    const needsExpiry = policy.lifetimeActions.some((a) => a.timeBeforeExpiry) && !policy.expiresIn;
    const violation =
      policyViolation(policy, now) ??
      (needsExpiry ? "a trigger before expiry needs an expiry (expiresIn)" : null);
    if (violation)
      errors.push({ in: "body", pointer: `/items/${index}/policy`, detail: violation });
  });
  if (errors.length > 0)
    throw new AppError(
      "validation_failed",
      `Managed HSM would refuse ${errors.length === 1 ? "this rotation policy" : `${errors.length} of these rotation policies`}: ${errors[0]!.detail}.`,
      { fieldErrors: errors.slice(0, 50) },
    );
}

interface PreparedItem {
  target: Record<string, string>;
  change: Record<string, unknown>;
  sealedSecret: string | null;
}

/** What each item acts on, with the names the executor will use (chosen now, so a retry finds them). */
async function prepare(
  db: Db,
  kind: RequestKind,
  hsm: string | null,
  item: AnyItem,
  sealKeys: readonly Buffer[],
): Promise<PreparedItem> {
  const change = { ...(item as Record<string, unknown>) };
  switch (kind) {
    case "role-assignment.create": {
      const scope = normaliseScope(String(change.scope));
      const name = randomUUID();
      return { target: { scope, name }, change: { ...change, scope, name }, sealedSecret: null };
    }
    case "role-assignment.delete": {
      const name = String(change.name).toLowerCase();
      const known = await db
        .selectFrom("inventory_role_assignment")
        .select("scope")
        .where("hsm", "=", hsm!)
        .where("name", "=", name)
        .executeTakeFirst();
      if (!known)
        throw new AppError(
          "not_found",
          `HSM ${hsm} has no role assignment ${name} in the inventory; sync the HSM if it was made just now.`,
        );
      return {
        target: { scope: known.scope, name },
        change: { ...change, name, scope: known.scope },
        sealedSecret: null,
      };
    }
    case "role-definition.upsert": {
      const name = (typeof change.name === "string" ? change.name : randomUUID()).toLowerCase();
      return { target: { role: name }, change: { ...change, name }, sealedSecret: null };
    }
    case "role-definition.delete":
      return { target: { role: String(change.name).toLowerCase() }, change, sealedSecret: null };
    case "setting.update":
      return { target: { setting: String(change.name) }, change, sealedSecret: null };
    case "policy.update":
      return { target: { kind: String(change.kind) }, change, sealedSecret: null };
    case "backup-schedule.upsert":
    case "backup-schedule.delete":
      return { target: { schedule: String(change.name) }, change, sealedSecret: null };
    case "restore.full":
      return { target: { backup: String(change.backupRunId) }, change, sealedSecret: null };
    case "key.import": {
      const jwk = { ...(change.jwk as Record<string, unknown>) };
      const secret: Record<string, unknown> = {};
      for (const member of PRIVATE_JWK_MEMBERS)
        if (jwk[member] !== undefined) {
          secret[member] = jwk[member];
          delete jwk[member];
        }
      return {
        target: { key: String(change.key) },
        change: { ...change, jwk },
        sealedSecret: seal(JSON.stringify(secret), sealKeys, "request-key-material"),
      };
    }
    default:
      return { target: { key: String(change.key) }, change, sealedSecret: null };
  }
}

/** A target as a bulk refusal names it: the key's name, or the target's parts. */
const targetWords = (target: Record<string, string>) =>
  target.key ?? Object.values(target).join(" ");

function refuseDuplicates(targets: Record<string, string>[]): void {
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const id = JSON.stringify(target).toLowerCase();
    const first = seen.get(id);
    if (first !== undefined)
      throw new AppError(
        "validation_failed",
        `Items ${first} and ${index} change the same target; file one change per target.`,
        {
          fieldErrors: [
            {
              in: "body",
              pointer: `/items/${index}`,
              detail: "the same target as an earlier item",
            },
          ],
        },
      );
    seen.set(id, index);
  });
}

/** The owner groups of the keys a request touches (from the inventory, or a new key's tags). */
async function ownerGroups(
  db: Db,
  kind: RequestKind,
  hsm: string | null,
  items: PreparedItem[],
): Promise<string[]> {
  if (!KEY_KINDS.has(kind) || !hsm) return [];
  const owners = new Set<string>();
  for (const item of items) {
    const tag = (item.change.tags as Record<string, string> | undefined)?.owner?.trim();
    if (tag && isGuid(tag)) owners.add(tag.toLowerCase());
  }
  const names = items.map((item) => item.target.key!.toLowerCase());
  for (let i = 0; i < names.length; i += 200) {
    const rows = await db
      .selectFrom("inventory_key")
      .select("owner")
      .where("hsm", "=", hsm)
      .where("name_lower", "in", names.slice(i, i + 200))
      .where("owner", "is not", null)
      .execute();
    for (const row of rows) {
      // Owner tags are group object ids; anything else names no group (and must not match one).
      const owner = row.owner!.trim();
      if (isGuid(owner)) owners.add(owner.toLowerCase());
    }
  }
  return [...owners].sort();
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
  filer: RequestPerson,
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
  const items = parseItems(input.kind, input.items);
  if (input.kind === "key.rotation-policy") refuseUnsupportedPolicies(items, now());
  const prepared = await Promise.all(
    items.map((item) => prepare(db, input.kind, hsm, item, deps.sealKeys)),
  );
  refuseDuplicates(prepared.map((p) => p.target));

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
              : { approvalPolicy: await currentPolicy(db, p.target.kind as RequestKind) },
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
  const required = requiredApprovals(
    policy,
    prepared.map((p) => p.target.scope ?? ""),
  );
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
        state: "pending",
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
        decided_at: null,
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
      detail: { approvalsRequired: required, items: prepared.length },
    });
    await queueRequestEvent(trx, deps.notify, id, "filed", filedAt);
    return recordInTransaction(trx, audit, {
      target: { request: id, kind: input.kind, hsm },
      detail: { summary, items: prepared.length, approvalsRequired: required },
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
