import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";

import type { Db } from "@/lib/db/client";
import { DEFAULT_SETTINGS, RULES_BY_ID } from "@/lib/sod/engine";
import { RULE_IDS, SEVERITIES, type RuleId, type SodSettings } from "@/lib/sod/types";

/*
 * Rule settings: the defaults, overridden per rule by a key administrator. Every change is
 * recorded with who made it and the setting before and after; the record is never edited.
 */

const paramsSchema = z.object({ maxAdministrators: z.number().int().min(2).max(100) }).partial();

export const ruleSettingInput = z
  .object({
    enabled: z.boolean(),
    severity: z.enum(SEVERITIES),
    maxAdministrators: z.number().int().min(2).max(100).optional(),
  })
  .strict();
export type RuleSettingInput = z.infer<typeof ruleSettingInput>;

export const isRuleId = (value: string): value is RuleId =>
  (RULE_IDS as readonly string[]).includes(value);

export async function readSettings(
  db: Db,
  defaults: { maxAdministrators: number },
): Promise<SodSettings> {
  const rows = await db.selectFrom("sod_rule_setting").selectAll().execute();
  const settings: SodSettings = {
    rules: { ...DEFAULT_SETTINGS.rules },
    params: { ...DEFAULT_SETTINGS.params, ...defaults },
  };
  for (const row of rows) {
    if (!isRuleId(row.rule_id)) continue;
    const severity = z.enum(SEVERITIES).safeParse(row.severity);
    settings.rules[row.rule_id] = {
      enabled: row.enabled === 1,
      severity: severity.success ? severity.data : settings.rules[row.rule_id].severity,
    };
    if (row.params) Object.assign(settings.params, paramsSchema.parse(JSON.parse(row.params)));
  }
  return settings;
}

export interface SettingChange {
  id: string;
  ruleId: string;
  ruleTitle: string;
  changedBy: string;
  changedByName: string;
  changedAt: number;
  before: RuleSettingInput;
  after: RuleSettingInput;
}

/** Saves one rule's setting and records the change; returns the record. */
export async function saveRuleSetting(
  db: Db,
  ruleId: RuleId,
  input: RuleSettingInput,
  actor: { oid: string; name: string },
  defaults: { maxAdministrators: number },
  now = Date.now(),
): Promise<SettingChange> {
  return db.transaction().execute(async (trx) => {
    const current = await readSettings(trx, defaults);
    const before: RuleSettingInput = {
      ...current.rules[ruleId],
      ...(ruleId === "administrator-count"
        ? { maxAdministrators: current.params.maxAdministrators }
        : {}),
    };
    const after: RuleSettingInput = {
      enabled: input.enabled,
      severity: input.severity,
      ...(ruleId === "administrator-count"
        ? { maxAdministrators: input.maxAdministrators ?? current.params.maxAdministrators }
        : {}),
    };
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
      ruleTitle: RULES_BY_ID.get(ruleId)?.title ?? ruleId,
      changedBy: actor.oid,
      changedByName: actor.name,
      changedAt: now,
      before,
      after,
    };
  });
}

export async function settingChanges(db: Db, limit = 50): Promise<SettingChange[]> {
  const rows = await db
    .selectFrom("sod_setting_change")
    .selectAll()
    .orderBy("changed_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ruleId: row.rule_id,
    ruleTitle: isRuleId(row.rule_id)
      ? (RULES_BY_ID.get(row.rule_id)?.title ?? row.rule_id)
      : row.rule_id,
    changedBy: row.changed_by,
    changedByName: row.changed_by_name,
    changedAt: row.changed_at,
    before: ruleSettingInput.parse(JSON.parse(row.before)),
    after: ruleSettingInput.parse(JSON.parse(row.after)),
  }));
}
