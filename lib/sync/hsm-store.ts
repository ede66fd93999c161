import "server-only";

import type { Db } from "@/lib/db/client";
import type { RoleAssignmentInfo, RoleDefinitionInfo } from "@/lib/hsm/types";

/* Writes of what the mirror holds per HSM: its sync state, its HSM-wide assignments and roles. */

export async function ensureHsm(
  db: Db,
  hsm: { name: string; region: string; url: string },
): Promise<void> {
  await db
    .insertInto("inventory_hsm")
    .values({ name: hsm.name, region: hsm.region, url: hsm.url, security_domain: "unknown" })
    .onConflict((conflict) =>
      conflict.column("name").doUpdateSet({ region: hsm.region, url: hsm.url }),
    )
    .execute();
}

export async function replaceHsmWideAssignments(
  db: Db,
  hsm: string,
  assignments: RoleAssignmentInfo[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("inventory_role_assignment")
      .where("hsm", "=", hsm)
      .where("key_lower", "is", null)
      .execute();
    if (assignments.length > 0)
      await trx
        .insertInto("inventory_role_assignment")
        .values(
          assignments.map((a) => ({
            hsm,
            name: a.name,
            scope: a.scope,
            key_lower: null,
            role_definition_id: a.roleDefinitionId,
            principal_id: a.principalId,
          })),
        )
        .onConflict((conflict) => conflict.columns(["hsm", "name"]).doNothing())
        .execute();
  });
}

export async function replaceRoleDefinitions(
  db: Db,
  hsm: string,
  definitions: RoleDefinitionInfo[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("inventory_role_definition").where("hsm", "=", hsm).execute();
    if (definitions.length > 0)
      await trx
        .insertInto("inventory_role_definition")
        .values(
          definitions.map((d) => ({
            hsm,
            id: d.id,
            role_name: d.roleName,
            role_type: d.roleType,
            description: d.description,
            data_actions: JSON.stringify(d.dataActions),
            not_data_actions: JSON.stringify(d.notDataActions),
          })),
        )
        .execute();
  });
}

export async function recordHsmOutcome(
  db: Db,
  hsm: string,
  outcome:
    { ok: true; full: boolean; securityDomain: string | null } | { ok: false; error: string },
  now: number = Date.now(),
): Promise<void> {
  await db
    .updateTable("inventory_hsm")
    .set(
      outcome.ok
        ? {
            last_attempt_at: now,
            last_success_at: now,
            last_error: null,
            last_error_at: null,
            ...(outcome.full ? { last_full_sync_at: now } : {}),
            ...(outcome.securityDomain ? { security_domain: outcome.securityDomain } : {}),
          }
        : { last_attempt_at: now, last_error: outcome.error, last_error_at: now },
    )
    .where("name", "=", hsm)
    .execute();
}
