import { DATA_ACTIONS, knownAction, shortAction, USE_ACTIONS } from "@/lib/access/actions";

/*
 * The Managed HSM data actions in groups a person choosing a custom role's actions thinks in:
 * managing keys, using them, managing roles, backups, the security domain. Cryptographic use is
 * exactly the "use" half of the separation-of-duties rules (USE_ACTIONS) plus random bytes, so a
 * role ticked from that group alone never mixes duties. Pure.
 */

export type ActionGroupId = "keys" | "crypto" | "roles" | "backup" | "security-domain" | "other";

export interface ActionGroup {
  id: ActionGroupId;
  title: string;
  hint: string;
}

export const ACTION_GROUPS: readonly ActionGroup[] = [
  {
    id: "keys",
    title: "Key management",
    hint: "Read, create, change, rotate and delete keys, recover or purge deleted ones, export key material.",
  },
  {
    id: "crypto",
    title: "Cryptographic use",
    hint: "What a workload does with a key: encrypt, decrypt, sign, verify, wrap, unwrap, release.",
  },
  {
    id: "roles",
    title: "Role management",
    hint: "Who may do what: role assignments and custom roles.",
  },
  {
    id: "backup",
    title: "Backup and restore",
    hint: "Backups and restores of the whole HSM, and of single keys.",
  },
  {
    id: "security-domain",
    title: "Security domain",
    hint: "Whoever holds the security domain can recover the HSM: an administrator's duty.",
  },
  { id: "other", title: "Other actions", hint: "Actions Keyward has no words for." },
];

const ORDER = Object.keys(DATA_ACTIONS);

/** The group of one action (short or full form, any case); unknown actions are "other". */
export function actionGroupOf(action: string): ActionGroupId {
  const known = knownAction(action);
  if (!known) return "other";
  if (USE_ACTIONS.has(known) || known === "rng/action") return "crypto";
  if (known.startsWith("roleAssignments/") || known.startsWith("roleDefinitions/")) return "roles";
  if (known.startsWith("securitydomain/")) return "security-domain";
  if (/^(backup|restore)\//.test(known) || /^keys\/(backup|restore)\//.test(known)) return "backup";
  return "keys";
}

/**
 * Actions sorted into the groups, in ACTION_GROUPS order, leaving out empty groups. Within a
 * group known actions keep the vocabulary's order, in its spelling; unknown ones follow,
 * alphabetically, in their short form.
 */
export function groupActions(actions: Iterable<string>): (ActionGroup & { actions: string[] })[] {
  const byGroup = new Map<ActionGroupId, Set<string>>();
  for (const action of actions) {
    const id = actionGroupOf(action);
    byGroup.set(id, (byGroup.get(id) ?? new Set()).add(knownAction(action) ?? shortAction(action)));
  }
  const rank = (a: string) => {
    const index = ORDER.indexOf(a);
    return index === -1 ? ORDER.length : index;
  };
  return ACTION_GROUPS.flatMap((group) => {
    const members = byGroup.get(group.id);
    if (!members) return [];
    const sorted = [...members].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return [{ ...group, actions: sorted }];
  });
}
