import "server-only";

import { recordInTransaction } from "@/lib/audit/service";
import type { AuditActor } from "@/lib/audit/types";
import type { Db } from "@/lib/db/client";
import type { RoleGrantTable } from "@/lib/db/schema/grant/table";
import { isAppError } from "@/lib/errors";
import { grantTransition, type GrantState } from "@/lib/grants/lifecycle";
import { dueGrants } from "@/lib/grants/store";
import type { HsmHandle } from "@/lib/hsm/handle";
import { deleteRoleAssignment } from "@/lib/hsm/rbac-writes";

/*
 * Ends time-limited grants: each grant whose end has come is claimed (active → ending, with a
 * claim that runs out), its role assignment is deleted from the HSM (already gone counts as
 * removed), and its end is recorded with a `grant.expire` audit event in one transaction. A
 * failed removal stays `ending` with its error (audited as failed) for the next round. A job
 * that dies between the two leaves the grant `ending`; once its claim runs out the next run
 * deletes again (harmless) and records the end once.
 */

export interface ExpiryDeps {
  db: Db;
  handleOf: (hsm: string) => HsmHandle;
  /** The portal's application identity, as the audit log names the job. */
  actor: AuditActor;
  now?: () => number;
  /** How long a claim lasts: longer than one removal can take. */
  claimMs?: number;
  /** Re-reads the key a grant was on into the inventory, once its assignment is gone. */
  refresh?: (hsm: string, scope: string) => Promise<void>;
}

export const GRANT_CLAIM_MS = 2 * 60_000;
const BATCH = 100;

const keyAuditTarget = (grant: RoleGrantTable) => ({
  hsm: grant.hsm,
  scope: grant.scope,
  assignment: grant.assignment,
  principal: grant.principal_id,
  request: grant.request_id,
});

async function claim(deps: ExpiryDeps, grant: RoleGrantTable, now: number): Promise<number | null> {
  const step = grantTransition(grant.state as GrantState, {
    type: "claim",
    now,
    expiresAt: Number(grant.expires_at),
    claimedUntil: grant.claimed_until === null ? null : Number(grant.claimed_until),
  });
  if (!step.ok) return null;
  const until = now + (deps.claimMs ?? GRANT_CLAIM_MS);
  const claimed = await deps.db
    .updateTable("role_grant")
    .set({ state: step.to, claimed_until: until })
    .where("hsm", "=", grant.hsm)
    .where("assignment", "=", grant.assignment)
    .where("state", "=", grant.state)
    .$if(grant.claimed_until === null, (q) => q.where("claimed_until", "is", null))
    .$if(grant.claimed_until !== null, (q) => q.where("claimed_until", "=", grant.claimed_until!))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1 ? until : null;
}

/** Deletes the grant's assignment; a 404 means it is gone already, which is what was wanted. */
async function removeAssignment(deps: ExpiryDeps, grant: RoleGrantTable): Promise<string | null> {
  try {
    await deleteRoleAssignment(deps.handleOf(grant.hsm), grant.scope, grant.assignment);
    return null;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    return isAppError(error) ? error.message : String((error as Error)?.message ?? error);
  }
}

/** Records the outcome of one removal, if this job still holds the claim. True when it ended. */
async function settle(
  deps: ExpiryDeps,
  grant: RoleGrantTable,
  until: number,
  failure: string | null,
): Promise<boolean> {
  const at = (deps.now ?? Date.now)();
  const step = grantTransition("ending", { type: failure === null ? "removed" : "failed" });
  if (!step.ok) return false;
  return deps.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable("role_grant")
      .set(
        failure === null
          ? { state: step.to, ended_at: at, claimed_until: null, end_error: null }
          : // The claim is given back at once, so that the next round tries again.
            { state: step.to, end_error: failure, claimed_until: at },
      )
      .where("hsm", "=", grant.hsm)
      .where("assignment", "=", grant.assignment)
      .where("state", "=", "ending")
      .where("claimed_until", "=", until)
      .executeTakeFirst();
    // Another job took the grant over (this one outlived its claim): its outcome stands.
    if (Number(moved.numUpdatedRows) !== 1) return false;
    await recordInTransaction(
      trx,
      { actor: deps.actor, requestId: null, action: "grant.expire" },
      {
        target: keyAuditTarget(grant),
        outcome: failure === null ? "succeeded" : "failed",
        detail: {
          expiresAt: new Date(Number(grant.expires_at)).toISOString(),
          roleDefinitionId: grant.role_definition_id,
          ...(failure === null ? {} : { error: failure }),
        },
      },
    );
    return failure === null;
  });
}

/** Ends every grant that is due; returns the assignments it ended and those it could not. */
export async function expireDueGrants(
  deps: ExpiryDeps,
): Promise<{ expired: string[]; failed: string[] }> {
  const expired: string[] = [];
  const failed: string[] = [];
  const now = (deps.now ?? Date.now)();
  for (const grant of await dueGrants(deps.db, now, BATCH)) {
    const until = await claim(deps, grant, now);
    if (until === null) continue;
    const failure = await removeAssignment(deps, grant);
    if (await settle(deps, grant, until, failure)) {
      expired.push(grant.assignment);
      await deps.refresh?.(grant.hsm, grant.scope).catch(() => undefined);
    } else if (failure !== null) failed.push(grant.assignment);
  }
  return { expired, failed };
}
