import "server-only";

import { randomUUID } from "node:crypto";
import { cache } from "react";

import { computeAccessState, type AccessState } from "@/lib/access/service";
import { auditedTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isConfiguredHsm } from "@/lib/hsm/connections";
import { normaliseScope } from "@/lib/hsm/role-assignments";
import { evaluate, whatIf, whatIfAll, type AssignmentChange, type WhatIf } from "@/lib/sod/engine";
import {
  ruleSettingChange,
  ruleSettingInput,
  ruleTitle,
  settingsFrom,
  type RuleSettingInput,
  type SettingChange,
} from "@/lib/sod/settings";
import type { Finding, RuleId, SodSettings } from "@/lib/sod/types";

/*
 * Separation of duties over the access state: the settings as kept (every change recorded with
 * who made it, before and after; the record is never edited), the current findings, and what a
 * proposed role assignment change would do to them.
 */

export interface SodState extends AccessState {
  settings: SodSettings;
  findings: Finding[];
}

async function readSettings(db: Db): Promise<SodSettings> {
  const rows = await db.selectFrom("sod_rule_setting").selectAll().execute();
  return settingsFrom(
    rows.map((row) => ({
      ruleId: row.rule_id,
      enabled: row.enabled === 1,
      severity: row.severity,
      params: row.params,
    })),
    { maxAdministrators: getEnv().sodMaxAdministrators },
  );
}

export async function computeSodState(): Promise<SodState> {
  const [access, settings] = await Promise.all([computeAccessState(), readSettings(await getDb())]);
  return { ...access, settings, findings: evaluate(access.model, settings) };
}

/** The access state and its findings for this request, read once. */
export const sodState = cache(computeSodState);

/**
 * Saves one rule's setting, its history row and its audit event in one transaction; returns the
 * history record.
 */
export async function saveRuleSetting(
  ruleId: RuleId,
  input: RuleSettingInput,
  actor: { oid: string; name: string },
  audit: AuditContext,
  now = Date.now(),
): Promise<SettingChange> {
  return auditedTransaction(
    audit,
    async (trx) => {
      const { before, after } = ruleSettingChange(await readSettings(trx), ruleId, input);
      const row = {
        enabled: after.enabled ? (1 as const) : (0 as const),
        severity: after.severity,
        params:
          after.maxAdministrators !== undefined
            ? JSON.stringify({ maxAdministrators: after.maxAdministrators })
            : null,
        updated_by: actor.oid,
        updated_at: now,
      };
      await trx
        .insertInto("sod_rule_setting")
        .values({ rule_id: ruleId, ...row })
        .onConflict((oc) => oc.column("rule_id").doUpdateSet(row))
        .execute();
      const change = {
        id: randomUUID(),
        rule_id: ruleId,
        changed_by: actor.oid,
        changed_by_name: actor.name,
        changed_at: now,
        before: JSON.stringify(before),
        after: JSON.stringify(after),
      };
      await trx.insertInto("sod_setting_change").values(change).execute();
      return {
        id: change.id,
        ruleId,
        ruleTitle: ruleTitle(ruleId),
        changedBy: actor.oid,
        changedByName: actor.name,
        changedAt: now,
        before,
        after,
      };
    },
    (change) => ({
      target: { rule: change.ruleId },
      detail: { before: change.before, after: change.after },
    }),
  );
}

export async function settingChanges(limit = 50): Promise<SettingChange[]> {
  const rows = await (
    await getDb()
  )
    .selectFrom("sod_setting_change")
    .selectAll()
    .orderBy("changed_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ruleId: row.rule_id,
    ruleTitle: ruleTitle(row.rule_id),
    changedBy: row.changed_by,
    changedByName: row.changed_by_name,
    changedAt: row.changed_at,
    before: ruleSettingInput.parse(JSON.parse(row.before)),
    after: ruleSettingInput.parse(JSON.parse(row.after)),
  }));
}

/** A role assignment someone proposes to add, or an existing one to remove. */
export type ProposedChange =
  | { op: "add"; hsm: string; scope: string; roleDefinitionId: string; principalId: string }
  | { op: "remove"; hsm: string; name: string };

/**
 * The findings a proposed change would add, resolve or change, against the current state. The
 * HSM, the assignment to remove and the role to add must exist; otherwise a clear error.
 */
export async function whatIfChange(change: ProposedChange): Promise<WhatIf> {
  if (!isConfiguredHsm(change.hsm))
    throw new AppError(
      "not_found",
      `There is no HSM named ${change.hsm} in this portal's configuration.`,
    );
  const state = await computeSodState();
  if (change.op === "remove") {
    if (!state.model.assignments.some((a) => a.hsm === change.hsm && a.name === change.name))
      throw new AppError(
        "not_found",
        `HSM ${change.hsm} has no role assignment ${change.name} in the inventory.`,
      );
    return whatIf(state.model, change, state.settings);
  }
  const roleDefinitionId = change.roleDefinitionId.toLowerCase();
  if (!state.model.roles.some((r) => r.hsm === change.hsm && r.id === roleDefinitionId))
    throw new AppError(
      "validation_failed",
      `HSM ${change.hsm} has no role definition ${change.roleDefinitionId}.`,
    );
  return whatIf(
    state.model,
    {
      op: "add",
      assignment: {
        hsm: change.hsm,
        scope: normaliseScope(change.scope),
        roleDefinitionId,
        principalId: change.principalId.toLowerCase(),
      },
    },
    state.settings,
  );
}

/**
 * The findings a change request's role-assignment items would add, resolve or change together,
 * against the current state (computed again each time an approver opens the request).
 */
export async function whatIfAssignments(
  hsm: string,
  changes: readonly (
    | { op: "add"; scope: string; roleDefinitionId: string; principalId: string; name: string }
    | { op: "remove"; name: string }
  )[],
): Promise<WhatIf> {
  const state = await computeSodState();
  const applied: AssignmentChange[] = changes.map((change) =>
    change.op === "remove"
      ? { op: "remove", hsm, name: change.name }
      : {
          op: "add",
          assignment: {
            hsm,
            name: change.name,
            scope: normaliseScope(change.scope),
            roleDefinitionId: change.roleDefinitionId.toLowerCase(),
            principalId: change.principalId.toLowerCase(),
          },
        },
  );
  return whatIfAll(state.model, applied, state.settings);
}
