import { z } from "zod";

import { DEFAULT_SETTINGS, RULES_BY_ID } from "@/lib/sod/engine";
import { RULE_IDS, SEVERITIES, type RuleId, type SodSettings } from "@/lib/sod/types";

/*
 * Rule settings: the defaults, overridden per rule by a key administrator, and what a change
 * records (the setting before and after). Pure; lib/sod/service.ts keeps them.
 */

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

const storedParams = z.object({ maxAdministrators: z.number().int().min(2).max(100) }).partial();

/** A stored override, as the sod_rule_setting table holds it. */
export interface StoredRuleSetting {
  ruleId: string;
  enabled: boolean;
  severity: string;
  params: string | null;
}

/** The defaults with every stored override applied; rows naming no rule or no severity are skipped. */
export function settingsFrom(
  stored: readonly StoredRuleSetting[],
  defaults: { maxAdministrators: number },
): SodSettings {
  const settings: SodSettings = {
    rules: { ...DEFAULT_SETTINGS.rules },
    params: { ...DEFAULT_SETTINGS.params, ...defaults },
  };
  for (const row of stored) {
    if (!isRuleId(row.ruleId)) continue;
    const severity = z.enum(SEVERITIES).safeParse(row.severity);
    settings.rules[row.ruleId] = {
      enabled: row.enabled,
      severity: severity.success ? severity.data : settings.rules[row.ruleId].severity,
    };
    if (row.params) Object.assign(settings.params, storedParams.parse(JSON.parse(row.params)));
  }
  return settings;
}

/** One rule's setting before and after a change; only administrator-count carries its maximum. */
export function ruleSettingChange(
  current: SodSettings,
  ruleId: RuleId,
  input: RuleSettingInput,
): { before: RuleSettingInput; after: RuleSettingInput } {
  const withMaximum = ruleId === "administrator-count";
  return {
    before: {
      ...current.rules[ruleId],
      ...(withMaximum ? { maxAdministrators: current.params.maxAdministrators } : {}),
    },
    after: {
      enabled: input.enabled,
      severity: input.severity,
      ...(withMaximum
        ? { maxAdministrators: input.maxAdministrators ?? current.params.maxAdministrators }
        : {}),
    },
  };
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

export function ruleTitle(ruleId: string): string {
  return (isRuleId(ruleId) && RULES_BY_ID.get(ruleId)?.title) || ruleId;
}
