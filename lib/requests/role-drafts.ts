import {
  ACTION_PREFIX,
  DATA_ACTIONS,
  knownAction,
  shortAction,
  type DataAction,
} from "@/lib/access/actions";
import { roleDefinitionUpsertItem } from "@/lib/requests/item-schemas";

/*
 * The custom role editor's draft: a name, a description and the known data actions ticked;
 * what it files (a role-definition.upsert item) and how it differs from the role as it is.
 * A role's wildcards and actions without words cannot be ticked: they are kept as they are,
 * and so are its not-data actions. Pure, for the client form and its tests.
 */

export type RoleField = "roleName" | "description" | "dataActions";

/** A custom role as the mirror holds it; description null: not read yet. */
export interface CurrentRole {
  id: string;
  roleName: string;
  description: string | null;
  dataActions: string[];
  notDataActions: string[];
}

export interface RoleDraft {
  roleName: string;
  description: string;
  /** Ticked known actions, short form. */
  selected: DataAction[];
}

export interface RoleDiff {
  roleName: { from: string; to: string } | null;
  /** from null: the description was not read yet, so it may or may not change. */
  description: { from: string | null; to: string } | null;
  /** Short forms. */
  added: string[];
  removed: string[];
}

const ORDER = Object.keys(DATA_ACTIONS) as DataAction[];
const fullAction = (action: string) => `${ACTION_PREFIX}${shortAction(action)}`;
const sameAction = (action: string) => shortAction(action).toLowerCase();

/** A role's data actions the checklist cannot show (wildcards, unknown actions). */
export function keptActions(dataActions: readonly string[]): string[] {
  return dataActions.filter((a) => a.includes("*") || knownAction(a) === null);
}

export function draftFromRole(role: CurrentRole | null): RoleDraft {
  if (!role) return { roleName: "", description: "", selected: [] };
  const ticked = new Set(role.dataActions.map(knownAction));
  return {
    roleName: role.roleName,
    description: role.description ?? "",
    selected: ORDER.filter((a) => ticked.has(a)),
  };
}

/** The data actions a draft files: the kept ones as they were, then the ticked ones. */
export function dataActionsOf(draft: RoleDraft, role: CurrentRole | null): string[] {
  const ticked = new Set(draft.selected);
  return [
    ...keptActions(role?.dataActions ?? []),
    ...ORDER.filter((a) => ticked.has(a)).map(fullAction),
  ];
}

function differenceOf(from: readonly string[], to: readonly string[]): string[] {
  const have = new Set(from.map(sameAction));
  const result = new Map<string, string>();
  for (const action of to)
    if (!have.has(sameAction(action)))
      result.set(sameAction(action), knownAction(action) ?? shortAction(action));
  return [...result.values()];
}

/** What a draft changes in a role: its name, its description, the data actions added and removed. */
export function diffRole(
  role: CurrentRole,
  next: { roleName: string; description: string; dataActions: readonly string[] },
): RoleDiff {
  const roleName = next.roleName.trim();
  const description = next.description.trim();
  return {
    roleName: roleName === role.roleName ? null : { from: role.roleName, to: roleName },
    description:
      role.description !== null && description === role.description.trim()
        ? null
        : { from: role.description, to: description },
    added: differenceOf(role.dataActions, next.dataActions),
    removed: differenceOf(next.dataActions, role.dataActions),
  };
}

export const isUnchanged = (diff: RoleDiff): boolean =>
  !diff.roleName && !diff.description && diff.added.length === 0 && diff.removed.length === 0;

const FIELDS: Record<string, RoleField> = {
  roleName: "roleName",
  description: "description",
  dataActions: "dataActions",
  notDataActions: "dataActions",
};

/**
 * The role-definition.upsert item a draft files, or what is wrong with it in the form's words:
 * an edit keeps the role's GUID and its not-data actions, and refuses to file no change.
 */
export function roleItem(
  role: CurrentRole | null,
  draft: RoleDraft,
):
  | { item: Record<string, unknown>; errors?: null }
  | { item?: null; errors: Partial<Record<RoleField, string>>; form?: string } {
  const roleName = draft.roleName.trim();
  const description = draft.description.trim();
  const dataActions = dataActionsOf(draft, role);
  const errors: Partial<Record<RoleField, string>> = {};
  if (roleName === "") errors.roleName = "Give the role a name.";
  if (dataActions.length === 0) errors.dataActions = "Tick at least one data action.";
  if (Object.keys(errors).length > 0) return { errors };
  if (role && isUnchanged(diffRole(role, { roleName, description, dataActions })))
    return { errors: {}, form: "Nothing has changed yet." };
  const item = role
    ? { name: role.id, roleName, description, dataActions, notDataActions: role.notDataActions }
    : { roleName, description, dataActions };
  // The API's own schema: lengths, and kept actions it would refuse.
  const parsed = roleDefinitionUpsertItem.safeParse(item);
  if (parsed.success) return { item };
  for (const issue of parsed.error.issues) {
    const field = FIELDS[String(issue.path[0])] ?? "dataActions";
    errors[field] ??= `${issue.message[0]!.toUpperCase()}${issue.message.slice(1)}.`;
  }
  return { errors };
}
