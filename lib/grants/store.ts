import type { Db } from "@/lib/db/client";
import type { RoleGrantTable } from "@/lib/db/schema/grant/table";
import { grantDurationMs } from "@/lib/grants/duration";

/*
 * The role_grant table. A grant is written in the transaction that settles its request's item
 * (the executor passes it in), so the assignment's record and the grant commit together.
 */

export interface GrantMade {
  hsm: string;
  /** The role assignment's name. */
  assignment: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  expiresAfter: string;
  requestId: string;
  requesterId: string;
}

/** Records a time-limited grant just made, in the caller's transaction. */
export async function recordGrant(trx: Db, grant: GrantMade, at: number): Promise<void> {
  const duration = grantDurationMs(grant.expiresAfter);
  if ("error" in duration) throw new Error(`expiresAfter ${grant.expiresAfter}: ${duration.error}`);
  await trx
    .insertInto("role_grant")
    .values({
      hsm: grant.hsm,
      assignment: grant.assignment.toLowerCase(),
      scope: grant.scope,
      role_definition_id: grant.roleDefinitionId.toLowerCase(),
      principal_id: grant.principalId.toLowerCase(),
      request_id: grant.requestId,
      requester_id: grant.requesterId,
      granted_at: at,
      expires_at: at + duration.ms,
      state: "active",
      claimed_until: null,
      ended_at: null,
      end_error: null,
    })
    .execute();
}

/** Marks a grant revoked when a request removed its assignment first (caller's transaction). */
export async function revokeGrant(trx: Db, hsm: string, assignment: string, at: number) {
  await trx
    .updateTable("role_grant")
    .set({ state: "revoked", ended_at: at, claimed_until: null })
    .where("hsm", "=", hsm)
    .where("assignment", "=", assignment.toLowerCase())
    .where("state", "in", ["active", "ending"])
    .execute();
}

/** Grants whose end has come (or whose removal a dead job left), oldest end first. */
export async function dueGrants(db: Db, now: number, limit: number): Promise<RoleGrantTable[]> {
  return db
    .selectFrom("role_grant")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "=", "active"), eb("expires_at", "<=", now)]),
        eb.and([eb("state", "=", "ending"), eb("claimed_until", "<", now)]),
      ]),
    )
    .orderBy("expires_at")
    .limit(limit)
    .execute();
}
