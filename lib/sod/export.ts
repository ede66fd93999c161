import { toCsv } from "@/lib/format/csv";
import { RULES_BY_ID } from "@/lib/sod/engine";
import type { Finding } from "@/lib/sod/types";

/* Findings as evidence, exported as CSV or JSON. */

export function findingsCsv(findings: readonly Finding[]): string {
  return toCsv(
    [
      "severity",
      "rule",
      "title",
      "hsm",
      "summary",
      "principals",
      "principal_ids",
      "roles",
      "scopes",
      "keys",
      "assignments",
      "fix",
    ],
    findings.map((f) => {
      const rule = RULES_BY_ID.get(f.ruleId);
      return [
        f.severity,
        f.ruleId,
        rule?.title,
        f.hsm ?? "",
        f.summary,
        f.principals.map((p) => p.label).join("; "),
        f.principals.map((p) => p.id).join("; "),
        f.roles.join("; "),
        f.scopes.join("; "),
        f.keys.all ? "*" : f.keys.names.join("; "),
        f.assignmentNames.join("; "),
        rule?.fix,
      ];
    }),
  );
}

export function findingsJson(findings: readonly Finding[], evaluatedAt: number) {
  return {
    evaluatedAt: new Date(evaluatedAt).toISOString(),
    count: findings.length,
    findings: findings.map((f) => {
      const rule = RULES_BY_ID.get(f.ruleId);
      return { ...f, title: rule?.title, why: rule?.why, fix: rule?.fix };
    }),
  };
}
