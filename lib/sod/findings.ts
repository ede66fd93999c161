import { z } from "zod";

import { RULE_IDS, SEVERITIES, type Finding } from "@/lib/sod/types";
import { guid, hsmName, keyName } from "@/lib/validation/primitives";
import { optionalParam } from "@/lib/validation/search-params";

/* Which findings a view shows: the URL filters of the findings page and export, and the
 * findings that concern one key, principal or assignment. Pure. */

export const findingFiltersSchema = z.object({
  hsm: optionalParam(hsmName),
  severity: optionalParam(z.enum(SEVERITIES)),
  rule: optionalParam(z.enum(RULE_IDS)),
  principal: optionalParam(guid),
  key: optionalParam(keyName),
});
export type FindingFilters = z.infer<typeof findingFiltersSchema>;

export function filterFindings(findings: readonly Finding[], filters: FindingFilters): Finding[] {
  const key = filters.key?.toLowerCase();
  return findings.filter(
    (f) =>
      (!filters.hsm || f.hsm === filters.hsm) &&
      (!filters.severity || f.severity === filters.severity) &&
      (!filters.rule || f.ruleId === filters.rule) &&
      (!filters.principal || f.principals.some((p) => p.id === filters.principal?.toLowerCase())) &&
      (!key || (f.hsm === filters.hsm && (f.keys.all || f.keys.names.includes(key)))),
  );
}

export function findingsForKey(
  findings: readonly Finding[],
  hsm: string,
  keyLower: string,
): Finding[] {
  return findings.filter((f) => f.hsm === hsm && (f.keys.all || f.keys.names.includes(keyLower)));
}

export function findingsForPrincipal(findings: readonly Finding[], principalId: string): Finding[] {
  return findings.filter((f) => f.principals.some((p) => p.id === principalId));
}

export function findingsForAssignment(
  findings: readonly Finding[],
  hsm: string,
  name: string,
): Finding[] {
  return findings.filter((f) => f.hsm === hsm && f.assignmentNames.includes(name));
}
