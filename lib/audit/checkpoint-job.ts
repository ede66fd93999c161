import "server-only";

import {
  CHECKPOINT_CONTENT_TYPE,
  checkpointBlobName,
  checkpointSeqPrefix,
} from "@/lib/audit/checkpoint-format";
import { signCheckpoint } from "@/lib/audit/checkpoint-jws";
import type { AuditKeys } from "@/lib/audit/signing-key";
import type { Db } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import type { AppendOnlyContainer } from "@/lib/storage/append-only-container";

/*
 * Anchoring: the chain's head, signed, written where the database's administrators cannot
 * rewrite it. One instance at a time (the lease), one blob per head: a head some checkpoint
 * already signed is not signed again, and a blob is never overwritten. The checkpoint is not
 * itself an audit event (that would move the head it signs); the scheduler logs it instead.
 */

export const CHECKPOINT_LEASE = "audit:checkpoint";
/** Short: a portal killed during a run (at shutdown) leaves the lease behind until it expires. */
export const CHECKPOINT_LEASE_TTL_MS = 20_000;

export interface CheckpointDeps {
  db: Db;
  store: AppendOnlyContainer;
  signer: AuditKeys["signer"];
  now?: () => number;
}

export type CheckpointOutcome =
  | { status: "written"; seq: number; name: string }
  | { status: "already-signed"; seq: number }
  | { status: "empty" }
  | { status: "busy"; heldBy: string | null };

/** Signs and stores the current head unless a checkpoint of it exists. Call under the lease. */
export async function writeCheckpoint(deps: CheckpointDeps): Promise<CheckpointOutcome> {
  const head = await deps.db
    .selectFrom("audit_head")
    .select(["seq", "hash"])
    .where("id", "=", 1)
    .executeTakeFirst();
  // An empty log has nothing to anchor: any checkpoint of a later head proves more.
  if (!head || head.seq === 0) return { status: "empty" };
  await deps.store.ensureExists();
  for await (const _existing of deps.store.list(checkpointSeqPrefix(head.seq)))
    return { status: "already-signed", seq: head.seq };
  const at = (deps.now ?? Date.now)();
  const name = checkpointBlobName(head.seq, at);
  const jws = await signCheckpoint({ seq: head.seq, hash: head.hash, at }, deps.signer);
  const created = await deps.store.create(name, jws, CHECKPOINT_CONTENT_TYPE);
  return created === "created"
    ? { status: "written", seq: head.seq, name }
    : { status: "already-signed", seq: head.seq };
}

/** One run of the job: under the lease, so that of several instances only one writes. */
export async function runCheckpoint(deps: CheckpointDeps): Promise<CheckpointOutcome> {
  const outcome = await withLease(
    CHECKPOINT_LEASE,
    CHECKPOINT_LEASE_TTL_MS,
    () => writeCheckpoint(deps),
    {
      db: deps.db,
    },
  );
  return outcome.acquired ? outcome.value : { status: "busy", heldBy: outcome.heldBy };
}
