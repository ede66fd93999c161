import type { Assignment } from "./evaluate";

/*
 * Which role assignments a list at a scope returns, by $filter, as the RBAC spec describes it:
 * `atScope()` gives those at or above the scope; `principalId eq {id}` gives that principal's at,
 * above or below it. Without a filter, those at the scope itself (UNCONFIRMED: the spec is
 * silent). "/" and "/keys" both mean the whole HSM and are listed together.
 */

export type AssignmentFilter =
  { kind: "none" } | { kind: "atScope" } | { kind: "principal"; principalId: string };

export function isHsmWide(scope: string): boolean {
  return scope === "/" || scope === "/keys";
}

/** null when the filter is not one the service understands. */
export function parseAssignmentFilter(raw: string | null): AssignmentFilter | null {
  const filter = raw?.trim() ?? "";
  if (filter === "") return { kind: "none" };
  if (/^atScope\(\s*\)$/i.test(filter)) return { kind: "atScope" };
  const principal = /^principalId\s+eq\s+'?([0-9a-fA-F-]{36})'?$/i.exec(filter)?.[1];
  return principal ? { kind: "principal", principalId: principal.toLowerCase() } : null;
}

function isAt(assignment: Assignment, scope: string): boolean {
  return isHsmWide(scope) ? isHsmWide(assignment.scope) : assignment.scope === scope;
}

function isAtOrAbove(assignment: Assignment, scope: string): boolean {
  return isHsmWide(assignment.scope) || assignment.scope === scope;
}

function isAtOrBelow(assignment: Assignment, scope: string): boolean {
  return isHsmWide(scope) || assignment.scope === scope;
}

export function listAssignments(
  assignments: readonly Assignment[],
  scope: string,
  filter: AssignmentFilter,
): Assignment[] {
  switch (filter.kind) {
    case "none":
      return assignments.filter((a) => isAt(a, scope));
    case "atScope":
      return assignments.filter((a) => isAtOrAbove(a, scope));
    case "principal":
      return assignments.filter(
        (a) =>
          a.principalId.toLowerCase() === filter.principalId &&
          (isAtOrAbove(a, scope) || isAtOrBelow(a, scope)),
      );
  }
}
