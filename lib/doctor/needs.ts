import type { DataAction } from "@/lib/access/actions";
import { BUILT_IN_ROLES } from "@/lib/access/model";
import type { RequestKind } from "@/lib/requests/kind-names";

/*
 * What the portal's own identity must be allowed on each Managed HSM, capability by capability:
 * the data actions of the calls it makes, and the request kinds that fail without them. Reading
 * is required (nothing works without it); each write capability is needed only by the kinds a
 * key team allows, so a gap there is a warning. Pure module.
 */

export interface Capability {
  id: string;
  /** What the portal does with it, as the doctor's table names it. */
  label: string;
  required: boolean;
  actions: readonly DataAction[];
  /** A role that cannot be expressed as data actions (HSM settings are administrator-only). */
  role?: { id: string; name: string };
  /** The change-request kinds that end `failed` without it. */
  kinds: readonly RequestKind[];
  /** Said of a gap: what stops working. */
  without: string;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    id: "read",
    label: "Read keys and access",
    required: true,
    actions: [
      "keys/read/action",
      "keys/deletedKeys/read/action",
      "roleAssignments/read/action",
      "roleDefinitions/read/action",
    ],
    kinds: [],
    without:
      "the sync cannot read the HSM: the inventory, the access pages and every check stay empty",
  },
  {
    id: "keys",
    label: "Change keys",
    required: false,
    actions: [
      "keys/create",
      "keys/import/action",
      "keys/write/action",
      "keys/rotate/action",
      "keys/delete",
    ],
    kinds: [
      "key.create",
      "key.import",
      "key.update",
      "key.rotate",
      "key.rotation-policy",
      "key.delete",
    ],
    without: "approved key changes fail",
  },
  {
    id: "deleted-keys",
    label: "Recover and purge deleted keys",
    required: false,
    actions: ["keys/deletedKeys/recover/action", "keys/deletedKeys/delete"],
    kinds: ["key.recover", "key.purge"],
    without: "approved recoveries and purges fail",
  },
  {
    id: "access",
    label: "Change access",
    required: false,
    actions: [
      "roleAssignments/write/action",
      "roleAssignments/delete/action",
      "roleDefinitions/write/action",
      "roleDefinitions/delete/action",
    ],
    kinds: [
      "role-assignment.create",
      "role-assignment.delete",
      "role-definition.upsert",
      "role-definition.delete",
    ],
    without: "approved grants, revocations and custom-role changes fail",
  },
  {
    id: "backup",
    label: "Back up the HSM",
    required: false,
    actions: ["backup/start/action", "backup/status/action"],
    kinds: [],
    without: "backups, scheduled or on demand, fail",
  },
  {
    id: "restore",
    label: "Restore from backups",
    required: false,
    actions: ["restore/start/action", "restore/status/action"],
    kinds: ["restore.key", "restore.full"],
    without: "approved restores fail",
  },
  {
    id: "settings",
    label: "Change HSM settings",
    required: false,
    actions: [],
    role: { id: BUILT_IN_ROLES.administrator, name: "Managed HSM Administrator" },
    kinds: ["setting.update"],
    without: "approved setting changes fail",
  },
];

/** Key actions are granted at "/keys" (the narrower scope a fix suggests); the others at "/". */
export function isKeyAction(action: string): boolean {
  return action.startsWith("keys/");
}
