import {
  grantsByPrincipal,
  indexRoles,
  type AccessModel,
  type Assignment,
} from "@/lib/access/model";
import {
  backupAndRestore,
  grantAndCrypto,
  hsmWideUsage,
  manageAndUse,
  severalRoles,
} from "@/lib/sod/rules/duties";
import { keyadminAndApprover, orphanOrGuest } from "@/lib/sod/rules/identities";
import { adminIndividual, administratorCount, customRoleMixed } from "@/lib/sod/rules/roles";
import {
  RULE_IDS,
  SEVERITIES,
  type Finding,
  type Rule,
  type RuleId,
  type SodSettings,
} from "@/lib/sod/types";

/*
 * The separation-of-duties engine: every rule over one access model, with the rule settings
 * (switched off, re-graded) applied. Pure: the same model and settings give the same findings,
 * which is what makes the what-if answer a plain difference of two evaluations.
 */

export const RULES: readonly Rule[] = [
  adminIndividual,
  manageAndUse,
  grantAndCrypto,
  backupAndRestore,
  hsmWideUsage,
  customRoleMixed,
  administratorCount,
  orphanOrGuest,
  severalRoles,
  keyadminAndApprover,
];

export const RULES_BY_ID = new Map<RuleId, Rule>(RULES.map((rule) => [rule.id, rule]));

export const DEFAULT_SETTINGS: SodSettings = {
  rules: Object.fromEntries(
    RULES.map((rule) => [rule.id, { enabled: true, severity: rule.defaultSeverity }]),
  ) as SodSettings["rules"],
  params: { maxAdministrators: 5 },
};

const severityRank = (finding: Finding) => SEVERITIES.indexOf(finding.severity);
const ruleRank = (finding: Finding) => RULE_IDS.indexOf(finding.ruleId);

export function evaluate(model: AccessModel, settings: SodSettings = DEFAULT_SETTINGS): Finding[] {
  const roles = indexRoles(model.roles);
  const context = {
    model,
    roles,
    grants: grantsByPrincipal(model, roles),
    params: settings.params,
  };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting = settings.rules[rule.id];
    if (!setting.enabled) continue;
    for (const draft of rule.evaluate(context))
      findings.push({
        ...draft,
        id: `${rule.id}:${draft.id}`,
        ruleId: rule.id,
        severity: setting.severity,
      });
  }
  return findings.sort(
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      ruleRank(a) - ruleRank(b) ||
      (a.hsm ?? "").localeCompare(b.hsm ?? "") ||
      a.summary.localeCompare(b.summary),
  );
}

export type AssignmentChange =
  | { op: "add"; assignment: Omit<Assignment, "name"> & { name?: string } }
  | { op: "remove"; hsm: string; name: string };

export interface WhatIf {
  /** Findings the change would create. */
  added: Finding[];
  /** Findings the change would resolve. */
  resolved: Finding[];
  /** Findings that stay but change (more keys, another role…): before and after. */
  changed: { before: Finding; after: Finding }[];
  unchanged: number;
}

export function applyChange(model: AccessModel, change: AssignmentChange): AccessModel {
  if (change.op === "remove")
    return {
      ...model,
      assignments: model.assignments.filter(
        (a) => !(a.hsm === change.hsm && a.name === change.name),
      ),
    };
  const name = change.assignment.name ?? "proposed";
  return { ...model, assignments: [...model.assignments, { ...change.assignment, name }] };
}

const sameFinding = (a: Finding, b: Finding) => JSON.stringify(a) === JSON.stringify(b);

/** What would change in the findings if this assignment were added or removed. */
export function whatIf(
  model: AccessModel,
  change: AssignmentChange,
  settings: SodSettings = DEFAULT_SETTINGS,
): WhatIf {
  return whatIfAll(model, [change], settings);
}

/** What would change in the findings after all these changes (a bulk request's items). */
export function whatIfAll(
  model: AccessModel,
  changes: readonly AssignmentChange[],
  settings: SodSettings = DEFAULT_SETTINGS,
): WhatIf {
  const before = evaluate(model, settings);
  const after = evaluate(changes.reduce(applyChange, model), settings);
  const beforeById = new Map(before.map((f) => [f.id, f]));
  const afterById = new Map(after.map((f) => [f.id, f]));
  const changed: WhatIf["changed"] = [];
  let unchanged = 0;
  for (const finding of after) {
    const previous = beforeById.get(finding.id);
    if (!previous) continue;
    if (sameFinding(previous, finding)) unchanged += 1;
    else changed.push({ before: previous, after: finding });
  }
  return {
    added: after.filter((f) => !beforeById.has(f.id)),
    resolved: before.filter((f) => !afterById.has(f.id)),
    changed,
    unchanged,
  };
}

export function countBySeverity(
  findings: readonly Finding[],
): Record<(typeof SEVERITIES)[number], number> {
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
