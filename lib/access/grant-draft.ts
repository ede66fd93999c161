import { roleAssignmentCreateItem } from "@/lib/requests/item-schemas";
import { requiredApprovals, type ApprovalPolicy } from "@/lib/requests/policy";
import { guid, keyName } from "@/lib/validation/primitives";

/*
 * The grant form's draft as the person fills it in, and the `role-assignment.create` item it
 * becomes, checked with the API's own schemas so the browser refuses what the API would. Pure,
 * for client components.
 */

export type ScopeChoice = "hsm" | "keys" | "key";

export const SCOPE_CHOICES: [ScopeChoice, string][] = [
  ["hsm", "The whole HSM (/)"],
  ["keys", "All keys (/keys)"],
  ["key", "One key (/keys/{name})"],
];

export interface GrantDraft {
  hsm: string;
  scope: ScopeChoice;
  /** Only for the "key" scope. */
  keyName: string;
  roleDefinitionId: string;
  principalId: string;
}

export type GrantField = "hsm" | "scope" | "key" | "role" | "principal";

export interface GrantItem {
  scope: string;
  roleDefinitionId: string;
  principalId: string;
}

export function scopeOf(choice: ScopeChoice, key: string): string {
  return choice === "hsm" ? "/" : choice === "keys" ? "/keys" : `/keys/${key.trim()}`;
}

/** A scope in words: "the whole HSM", "every key", "key payments-01". */
export function describeScope(scope: string): string {
  if (scope === "/") return "the whole HSM";
  if (scope === "/keys") return "every key";
  return `key ${scope.replace(/^\/keys\//, "")}`;
}

/** The item to file, or a message per field that is not right yet. */
export function grantItem(
  draft: GrantDraft,
):
  | { item: GrantItem; errors?: null }
  | { item?: null; errors: Partial<Record<GrantField, string>> } {
  const errors: Partial<Record<GrantField, string>> = {};
  if (draft.hsm === "") errors.hsm = "Choose an HSM.";
  if (draft.scope === "key") {
    const name = keyName.safeParse(draft.keyName.trim());
    if (!name.success) errors.key = `The key name ${name.error.issues[0]!.message}.`;
  }
  if (draft.roleDefinitionId === "") errors.role = "Choose a role.";
  const principalId = draft.principalId.trim().toLowerCase();
  if (principalId === "") errors.principal = "Choose a principal or give an object id.";
  else if (!guid.safeParse(principalId).success)
    errors.principal = "Give the principal's object id, a GUID.";
  if (Object.keys(errors).length > 0) return { errors };
  const parsed = roleAssignmentCreateItem.safeParse({
    scope: scopeOf(draft.scope, draft.keyName),
    roleDefinitionId: draft.roleDefinitionId,
    principalId,
  });
  if (parsed.success) return { item: parsed.data };
  for (const issue of parsed.error.issues) {
    const field = grantItemFieldOf(issue.path.join("/"), draft.scope);
    errors[field ?? "scope"] ??= `This ${issue.message}.`;
  }
  return { errors };
}

/** The field a server error inside the item belongs to (the scope is the key's, when one key). */
export function grantItemFieldOf(path: string, scope: ScopeChoice): GrantField | null {
  const member = path.split("/")[0];
  if (member === "scope") return scope === "key" ? "key" : "scope";
  if (member === "roleDefinitionId") return "role";
  if (member === "principalId") return "principal";
  return null;
}

const approvalsIn = (n: number) => (n === 1 ? "one approval" : `${n} approvals`);

/** What a role-assignment change at this scope needs, in words, from the live policy. */
export function approvalsNote(policy: ApprovalPolicy, scope: string): string {
  const needed = requiredApprovals(policy, [scope]);
  const wide = scope === "/" || scope === "/keys";
  return wide && needed > policy.approvals
    ? `Needs ${approvalsIn(needed)}: it reaches every key of the HSM.`
    : `Needs ${approvalsIn(needed)}.`;
}
