import "server-only";

import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";

import { recordInTransaction } from "@/lib/audit/service";
import type { AuditActor } from "@/lib/audit/types";
import { executeRestore, type RestoreDeps } from "@/lib/backup/restore-execution";
import type { Db } from "@/lib/db/client";
import type { ChangeRequestItemTable, ChangeRequestTable } from "@/lib/db/schema/requests/table";
import { isAppError, isTransientError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { setRotationPolicy } from "@/lib/hsm/key-writes";
import type { RequestNotify } from "@/lib/notify/request-event";
import {
  isRestoreKind,
  SCHEDULE_KINDS,
  type AnyItem,
  type ItemOf,
  type RequestKind,
} from "@/lib/requests/kinds";
import { readTargetState } from "@/lib/requests/live-state";
import { operate } from "@/lib/requests/operations";
import { ownTableWrite, type OwnTableWrite } from "@/lib/requests/own-table-writes";
import { portalTargetState } from "@/lib/requests/portal-state";
import { claimNext, executorContext, finishRequest } from "@/lib/requests/request-transitions";
import { scheduleTargetState } from "@/lib/requests/schedule-state";
import type { ItemState } from "@/lib/requests/state-machine";
import { isApplied, stateHash, type TargetState } from "@/lib/requests/target-state";

/*
 * The executor: runs approved requests, exactly once, as the portal's application identity.
 * Callers hold the executor's lease (executor-job.ts), so one instance executes at a time; on
 * top of that every step is a guarded update, so even two executors could not both run an item:
 *
 * - a request is claimed `approved → executing` (where state = 'approved');
 * - an item is claimed `pending → executing` with its attempt count raised; an item found
 *   `executing` belongs to an executor that died mid-write: its outcome is unknown, so its
 *   target is read again and the write counts as done if the HSM holds the change;
 * - before each write the target is read live and compared with its state at filing: a
 *   difference makes the item stale and nothing is written;
 * - an item's outcome and its audit event commit together.
 */

export interface ExecutorDeps {
  db: Db;
  handleOf: (hsm: string) => HsmHandle;
  sealKeys: readonly Buffer[];
  actor: AuditActor;
  now?: () => number;
  /** Items of one request written at once (the HSM handle bounds its own requests too). */
  itemConcurrency?: number;
  /** Re-reads what changed into the inventory mirror once a request has run. */
  refresh?: (request: ChangeRequestTable, items: ChangeRequestItemTable[]) => Promise<void>;
  /** Set when the notification webhook is: a finished request queues executed, failed or stale. */
  notify?: RequestNotify | undefined;
  /** Set where backup storage is: what restore items need (none: they fail, saying so). */
  restores?: RestoreDeps | undefined;
}

/** Writes whose outcome was unknown are tried at most this many times in all. */
const MAX_ATTEMPTS = 3;
/**
 * How long an item stays its executor's: longer than one attempt can last (a read and a write,
 * each retried for at most 45 s), so that an item is resumed only once its executor is gone.
 */
export const ITEM_CLAIM_MS = 5 * 60_000;
/**
 * Waits before reading a target again after a read that failed only for now (throttled or
 * unavailable once the handle's own retries ran out). Nothing was written, so reading again is
 * safe; the reads and waits together stay well inside ITEM_CLAIM_MS (4 × 45 s + 17 s + a write).
 */
const READ_AGAIN_AFTER_MS = [2_000, 5_000, 10_000];

/** The target's state, read again after a pause while the HSM is throttling or unavailable. */
async function readTargetPatiently(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  item: AnyItem,
  target: Record<string, string>,
): Promise<TargetState> {
  for (let round = 0; ; round += 1) {
    try {
      return await targetState(deps, request, item, target);
    } catch (error) {
      const wait = READ_AGAIN_AFTER_MS[round];
      if (wait === undefined || !isTransientError(error)) throw error;
      await sleep(wait);
    }
  }
}

async function targetState(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  item: AnyItem,
  target: Record<string, string>,
): Promise<TargetState> {
  if (SCHEDULE_KINDS.has(request.kind as RequestKind))
    return scheduleTargetState(deps.db, request.hsm!, item as { name: string });
  if (!request.hsm) return portalTargetState(deps.db, request.kind as RequestKind, target);
  return readTargetState(
    deps.handleOf(request.hsm),
    request.kind as RequestKind,
    item,
    "background",
  );
}

/**
 * Claims an item for one attempt: a pending one, or an executing one whose executor's claim has
 * run out (it died). False when another executor has it, or it is settled.
 */
async function claimItem(
  deps: ExecutorDeps,
  row: ChangeRequestItemTable,
  at: number,
  ownRetry: boolean,
): Promise<boolean> {
  const claimed = await deps.db
    .updateTable("change_request_item")
    .set({
      state: "executing",
      attempts: row.attempts + 1,
      started_at: at,
      claimed_until: at + ITEM_CLAIM_MS,
    })
    .where("request_id", "=", row.request_id)
    .where("position", "=", row.position)
    .where("state", "=", row.state)
    .where("attempts", "=", row.attempts)
    .$if(row.state === "executing" && !ownRetry, (q) => q.where("claimed_until", "<", at))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

async function settleItem(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  row: ChangeRequestItemTable,
  attempt: number,
  outcome: { state: ItemState; result?: unknown; error?: string },
  ownWrite?: OwnTableWrite,
): Promise<void> {
  const at = (deps.now ?? Date.now)();
  await deps.db.transaction().execute(async (trx) => {
    const settled = await trx
      .updateTable("change_request_item")
      .set({
        state: outcome.state,
        result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
        error: outcome.error ?? null,
        finished_at: at,
        sealed_secret: null,
      })
      .where("request_id", "=", row.request_id)
      .where("position", "=", row.position)
      .where("state", "=", "executing")
      .where("attempts", "=", attempt)
      .executeTakeFirst();
    // Another executor took the item over (this one outlived its claim): its outcome stands.
    if (Number(settled.numUpdatedRows) !== 1) return;
    if (ownWrite && outcome.state === "executed") await ownWrite(trx, at);
    await recordInTransaction(trx, executorContext(deps, request.id), {
      target: {
        request: request.id,
        item: row.position,
        ...(JSON.parse(row.target) as Record<string, string>),
        hsm: request.hsm,
      },
      outcome: outcome.state === "executed" ? "succeeded" : "failed",
      detail: {
        kind: request.kind,
        state: outcome.state,
        attempt,
        ...(outcome.error ? { error: outcome.error } : {}),
      },
    });
  });
}

const message = (error: unknown) =>
  isAppError(error)
    ? error.message
    : `unexpected error: ${(error as Error)?.message ?? String(error)}`;

type ItemOutcome = Parameters<typeof settleItem>[4];
/**
 * One item to a settled state, or left `executing` when the portal stops meanwhile. Any
 * unexpected error settles the item `failed` with what is known, so that one item never stops
 * the others or leaves its request waiting forever.
 */
async function runItem(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  initial: ChangeRequestItemTable,
): Promise<void> {
  let row = initial;
  let ownRetry = false;
  // Set once a write may have reached the HSM (sent with an unknown outcome, or resumed).
  let maybeWritten = false;
  for (;;) {
    const attempt = row.attempts + 1;
    if (row.state === "executing") maybeWritten = true;
    if (!(await claimItem(deps, row, (deps.now ?? Date.now)(), ownRetry))) return;
    let outcome: ItemOutcome | "retry";
    let ownWrite: OwnTableWrite | undefined;
    try {
      const item = JSON.parse(row.change) as AnyItem;
      ownWrite = ownTableWrite(request, item);
      outcome = await attemptItem(deps, request, row, item, { maybeWritten, attempt });
    } catch (error) {
      outcome = {
        state: "failed",
        error: maybeWritten
          ? `outcome unknown: the change may have been applied; ${message(error)}`
          : message(error),
      };
    }
    if (outcome !== "retry") return settleItem(deps, request, row, attempt, outcome, ownWrite);
    // The write may or may not have landed: the next round reads the target before anything else.
    row = { ...row, state: "executing", attempts: attempt };
    ownRetry = true;
  }
}

/** One attempt: read the target, decide, write. "retry" after a write whose outcome is unknown. */
async function attemptItem(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  row: ChangeRequestItemTable,
  item: AnyItem,
  { maybeWritten, attempt }: { maybeWritten: boolean; attempt: number },
): Promise<ItemOutcome | "retry"> {
  const kind = request.kind as RequestKind;
  if (isRestoreKind(kind))
    return executeRestore(
      {
        db: deps.db,
        handle: deps.handleOf(request.hsm!),
        actor: deps.actor,
        restores: deps.restores,
        claimMs: ITEM_CLAIM_MS,
      },
      kind,
      row,
      item as ItemOf<typeof kind>,
      { maybeWritten, attempt },
    );
  const target = JSON.parse(row.target) as Record<string, string>;
  const before = JSON.parse(row.before ?? "{}") as TargetState;
  let current: TargetState;
  try {
    current = await readTargetPatiently(deps, request, item, target);
  } catch (error) {
    return {
      state: "failed",
      error: maybeWritten
        ? `outcome unknown: the change may have been applied, and the target could not be read back: ${message(error)}`
        : `could not read the target before writing: ${message(error)}`,
    };
  }
  if (maybeWritten && isApplied(kind, item, before, current))
    return awaitsRotationPolicy(kind, item)
      ? finishKeyCreation(deps, request, item as ItemOf<"key.create">)
      : { state: "executed", result: { confirmedByReadingBack: true } };
  if (stateHash(current) !== row.before_hash)
    return {
      state: "stale",
      error:
        kind === "backup-schedule.delete" && !current.schedule
          ? `the backup schedule ${(item as { name: string }).name} no longer exists; nothing was deleted`
          : "the target changed since the request was filed; nothing was written",
    };
  if (kind === "policy.update")
    return { state: "executed", result: { policy: (item as ItemOf<"policy.update">).policy } };
  if (SCHEDULE_KINDS.has(kind))
    return { state: "executed", result: { schedule: (item as { name: string }).name } };
  if (kind === "template.upsert")
    return { state: "executed", result: { template: (item as ItemOf<"template.upsert">).name } };
  try {
    const result = await operate(kind, item, {
      handle: request.hsm ? deps.handleOf(request.hsm) : null,
      secret: { sealed: row.sealed_secret, keys: deps.sealKeys },
      requestId: request.id,
    });
    return { state: "executed", result: result ?? null };
  } catch (error) {
    if (!isOutcomeUnknown(error)) return { state: "failed", error: message(error) };
    if (attempt >= MAX_ATTEMPTS)
      return {
        state: "failed",
        error: `outcome unknown after ${attempt} attempts: the change may have been applied; check the target (${message(error)})`,
      };
    return "retry";
  }
}

/** A key.create that carries a rotation policy: the key is made first, then its policy set. */
const awaitsRotationPolicy = (kind: RequestKind, item: AnyItem) =>
  kind === "key.create" && (item as ItemOf<"key.create">).rotationPolicy !== undefined;

/**
 * A resumed key.create whose key exists: the executor that made it may have died before
 * setting its rotation policy, so the policy is set now (setting it twice changes nothing).
 */
async function finishKeyCreation(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  item: ItemOf<"key.create">,
): Promise<ItemOutcome> {
  try {
    await setRotationPolicy(deps.handleOf(request.hsm!), item.key, item.rotationPolicy!);
    return { state: "executed", result: { confirmedByReadingBack: true, rotationPolicySet: true } };
  } catch (error) {
    return {
      state: "failed",
      error: `the key ${item.key} exists, but its rotation policy could not be set: ${message(error)}`,
    };
  }
}

/** Runs one request that is executing (claimed now, or left so by an executor that died). */
async function runRequest(
  deps: ExecutorDeps,
  request: ChangeRequestTable,
  signal?: AbortSignal,
): Promise<void> {
  const limit = pLimit(deps.itemConcurrency ?? 16);
  const items = await deps.db
    .selectFrom("change_request_item")
    .selectAll()
    .where("request_id", "=", request.id)
    .where("state", "in", ["pending", "executing"])
    .orderBy("position")
    .execute();
  // Settled, not all: an item that could not even record its outcome (the database gone) must
  // not stop the others; it stays executing and is resumed once its claim runs out.
  await Promise.allSettled(
    items.map((item) => limit(() => (signal?.aborted ? undefined : runItem(deps, request, item)))),
  );
  if (signal?.aborted || !(await finishRequest(deps, request))) return;
  const all = await deps.db
    .selectFrom("change_request_item")
    .selectAll()
    .where("request_id", "=", request.id)
    .execute();
  await deps.refresh?.(request, all).catch(() => undefined);
}

/**
 * Runs every request waiting for execution: first those left executing by an executor that
 * stopped, then approved ones, oldest decision first, until none is left or `signal` aborts.
 * Returns the ids it ran.
 */
export async function executeApprovedRequests(
  deps: ExecutorDeps,
  signal?: AbortSignal,
): Promise<string[]> {
  const ran: string[] = [];
  const unfinished = await deps.db
    .selectFrom("change_request")
    .selectAll()
    .where("state", "=", "executing")
    .orderBy("decided_at")
    .execute();
  for (const request of unfinished) {
    if (signal?.aborted) return ran;
    await runRequest(deps, request, signal);
    ran.push(request.id);
  }
  while (!signal?.aborted) {
    const next = await claimNext(deps);
    if (!next) return ran;
    if (!next.claimed) continue;
    await runRequest(deps, next.request, signal);
    ran.push(next.request.id);
  }
  return ran;
}
