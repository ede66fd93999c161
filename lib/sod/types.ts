import type { AccessModel, Grant, PrincipalKind, RoleIndex } from "@/lib/access/model";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULE_IDS = [
  "admin-individual",
  "manage-and-use",
  "grant-and-crypto",
  "backup-and-restore",
  "hsm-wide-usage",
  "custom-role-mixed",
  "administrator-count",
  "orphan-or-guest",
  "several-roles",
  "keyadmin-and-approver",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface FindingPrincipal {
  id: string;
  label: string;
  kind: PrincipalKind;
}

/** One problem one rule found. `id` is stable across evaluations of the same facts. */
export interface Finding {
  id: string;
  ruleId: RuleId;
  severity: Severity;
  /** Null for findings about the portal itself (its roles), not about one HSM. */
  hsm: string | null;
  summary: string;
  principals: FindingPrincipal[];
  roles: string[];
  scopes: string[];
  /** The keys affected: every key of the HSM, or the named ones (lower case). */
  keys: { all: boolean; names: string[] };
  assignmentNames: string[];
}

export type FindingDraft = Omit<Finding, "severity" | "ruleId">;

export interface SodParams {
  /** More administrators than this on one HSM is sprawl. */
  maxAdministrators: number;
}

/** What a rule sees: the model and what is computed once per evaluation. */
export interface RuleContext {
  model: AccessModel;
  roles: RoleIndex;
  grants: ReadonlyMap<string, readonly Grant[]>;
  params: SodParams;
}

export interface Rule {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  /** The guidance the rule comes from. */
  why: string;
  fix: string;
  evaluate(context: RuleContext): FindingDraft[];
}

export interface RuleSetting {
  enabled: boolean;
  severity: Severity;
}

export interface SodSettings {
  rules: Record<RuleId, RuleSetting>;
  params: SodParams;
}
