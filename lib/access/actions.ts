/*
 * Managed HSM data actions: what each one lets a principal do, in plain words, and the classes
 * the separation-of-duties rules reason about. Pure module. Role definitions may use wildcards
 * ("*", "Microsoft.KeyVault/managedHsm/keys/*"), so a role's actions are expanded against the
 * known vocabulary; actions the vocabulary does not know are kept as they are.
 */

export const ACTION_PREFIX = "Microsoft.KeyVault/managedHsm/";

/** The data actions of api-version 7.6 plus keys/rotate/action (documented, missing from the enum). */
export const DATA_ACTIONS = {
  "keys/read/action": "Read keys, their versions and rotation policies",
  "keys/write/action": "Update key attributes and rotation policies",
  "keys/create": "Create keys",
  "keys/delete": "Delete keys",
  "keys/import/action": "Import keys",
  "keys/rotate/action": "Rotate keys",
  "keys/backup/action": "Back up single keys",
  "keys/restore/action": "Restore single keys",
  "keys/export/action": "Export key material",
  "keys/release/action": "Release keys (secure key release)",
  "keys/encrypt/action": "Encrypt with keys",
  "keys/decrypt/action": "Decrypt with keys",
  "keys/wrap/action": "Wrap keys",
  "keys/unwrap/action": "Unwrap keys",
  "keys/sign/action": "Sign with keys",
  "keys/verify/action": "Verify signatures with keys",
  "keys/deletedKeys/read/action": "Read deleted keys",
  "keys/deletedKeys/recover/action": "Recover deleted keys",
  "keys/deletedKeys/delete": "Purge deleted keys",
  "roleAssignments/read/action": "Read role assignments",
  "roleAssignments/write/action": "Grant roles (create role assignments)",
  "roleAssignments/delete/action": "Remove role assignments",
  "roleDefinitions/read/action": "Read role definitions",
  "roleDefinitions/write/action": "Create and change custom roles",
  "roleDefinitions/delete/action": "Delete custom roles",
  "securitydomain/download/action": "Download the security domain",
  "securitydomain/download/read": "Read the security domain download status",
  "securitydomain/upload/action": "Upload a security domain",
  "securitydomain/upload/read": "Read the security domain upload status",
  "securitydomain/transferkey/read": "Read the security domain transfer key",
  "backup/start/action": "Start a full HSM backup",
  "backup/status/action": "Read full backup status",
  "restore/start/action": "Start a full or selective restore",
  "restore/status/action": "Read restore status",
  "rng/action": "Generate random bytes",
} as const satisfies Record<string, string>;

export type DataAction = keyof typeof DATA_ACTIONS;
const KNOWN = Object.keys(DATA_ACTIONS) as DataAction[];

/** Using key material: what a workload does with a key (Crypto User-type actions). */
export const USE_ACTIONS: ReadonlySet<string> = new Set([
  "keys/encrypt/action",
  "keys/decrypt/action",
  "keys/wrap/action",
  "keys/unwrap/action",
  "keys/sign/action",
  "keys/verify/action",
  "keys/release/action",
]);

/** Managing keys and who reaches them (Crypto Officer-type actions). */
export const MANAGE_ACTIONS: ReadonlySet<string> = new Set([
  "keys/deletedKeys/recover/action",
  "keys/deletedKeys/delete",
  "keys/export/action",
  "roleAssignments/write/action",
  "roleAssignments/delete/action",
  "roleDefinitions/write/action",
  "roleDefinitions/delete/action",
]);

/** Changing keys: create, import, update, rotate, delete, back up and restore single keys. */
export const LIFECYCLE_ACTIONS: ReadonlySet<string> = new Set([
  "keys/create",
  "keys/delete",
  "keys/import/action",
  "keys/write/action",
  "keys/rotate/action",
  "keys/backup/action",
  "keys/restore/action",
]);

/** The short form without the provider prefix, which is how the tables show actions. */
export function shortAction(action: string): string {
  return action.startsWith(ACTION_PREFIX) ? action.slice(ACTION_PREFIX.length) : action;
}

/** The vocabulary's spelling of an action (short or full form, any case), or null if unknown. */
export function knownAction(action: string): DataAction | null {
  const short = shortAction(action).toLowerCase();
  return KNOWN.find((k) => k.toLowerCase() === short) ?? null;
}

export function describeAction(action: string): string {
  const short = shortAction(action);
  return (DATA_ACTIONS as Record<string, string>)[short] ?? short;
}

/**
 * Whether `text` matches a data action with `*` wildcards, case-insensitively. Not a regular
 * expression: a role definition comes from the HSM (anyone with the Administrator role can
 * write one out of band), and a pattern of many stars would make a backtracking regex run for
 * minutes. Greedy with one step back, O(pattern × text).
 */
export function wildcardMatches(wildcard: string, text: string): boolean {
  const p = wildcard.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === "*") {
      star = pi;
      pi += 1;
      resume = ti;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi += 1;
      ti += 1;
    } else if (star >= 0) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi += 1;
  return pi === p.length;
}

function expand(actions: readonly string[]): Set<string> {
  const result = new Set<string>();
  for (const action of actions) {
    if (action.includes("*")) {
      const wildcard = action === "*" ? "*" : shortAction(action);
      for (const known of KNOWN) if (wildcardMatches(wildcard, known)) result.add(known);
    } else {
      result.add(knownAction(action) ?? shortAction(action));
    }
  }
  return result;
}

/** What a role permits: its data actions minus its not-data actions, wildcards expanded. */
export function effectiveActions(
  dataActions: readonly string[],
  notDataActions: readonly string[],
): Set<string> {
  const granted = expand(dataActions);
  for (const removed of expand(notDataActions)) granted.delete(removed);
  return granted;
}

/** True when the role grants every known data action (a wildcard role, in effect). */
export function grantsEverything(actions: ReadonlySet<string>): boolean {
  return KNOWN.every((action) => actions.has(action));
}

export const hasAny = (actions: ReadonlySet<string>, wanted: ReadonlySet<string>): boolean =>
  [...wanted].some((action) => actions.has(action));

/** Plain-word groups for a set of actions, in a fixed order, for dense tables. */
export function summariseActions(actions: ReadonlySet<string>): string[] {
  const parts: string[] = [];
  if (hasAny(actions, USE_ACTIONS)) parts.push("use keys");
  if (hasAny(actions, LIFECYCLE_ACTIONS)) parts.push("change keys");
  if (hasAny(actions, MANAGE_ACTIONS)) parts.push("manage keys and access");
  if (actions.has("backup/start/action")) parts.push("back up the HSM");
  if (actions.has("restore/start/action")) parts.push("restore the HSM");
  if (actions.has("securitydomain/download/action")) parts.push("handle the security domain");
  if (parts.length === 0 && actions.size > 0) parts.push("read only");
  return parts;
}
