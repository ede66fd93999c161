import type { z } from "zod";

import { scheduleDeleteItem, scheduleUpsertItem } from "@/lib/backup/schedule-items";
import {
  keyCreateItem,
  keyImportItem,
  keyOnlyItem,
  keyRotationPolicyItem,
  keyUpdateItem,
  restoreFullItem,
  restoreKeyItem,
  roleAssignmentCreateItem,
  roleAssignmentDeleteItem,
  roleDefinitionDeleteItem,
  roleDefinitionUpsertItem,
  settingUpdateItem,
} from "@/lib/requests/item-schemas";
import { REQUEST_KIND_NAMES, type RequestKind } from "@/lib/requests/kind-names";
import { policyUpdateItem } from "@/lib/requests/policy";
import { keyTemplate } from "@/lib/templates/template";

/*
 * The kinds of change request: each is one lib/hsm operation (or, for `policy.update`, the
 * portal's own approval policy, its key templates, or its backup schedules), with the schema of its items and words for lists and the
 * audit log. Pure: the executor and the service look a kind up here.
 */

export const REQUEST_KINDS = {
  "key.create": { label: "Create a key", item: keyCreateItem },
  "key.import": { label: "Import a key", item: keyImportItem },
  "key.update": { label: "Change a key's properties", item: keyUpdateItem },
  "key.rotate": { label: "Rotate a key now", item: keyOnlyItem },
  "key.rotation-policy": { label: "Set a rotation policy", item: keyRotationPolicyItem },
  "key.delete": { label: "Delete a key", item: keyOnlyItem },
  "key.recover": { label: "Recover a deleted key", item: keyOnlyItem },
  "key.purge": { label: "Purge a deleted key", item: keyOnlyItem },
  "role-assignment.create": { label: "Grant a role", item: roleAssignmentCreateItem },
  "role-assignment.delete": { label: "Revoke a role", item: roleAssignmentDeleteItem },
  "role-definition.upsert": {
    label: "Create or change a custom role",
    item: roleDefinitionUpsertItem,
  },
  "role-definition.delete": { label: "Delete a custom role", item: roleDefinitionDeleteItem },
  "setting.update": { label: "Change an HSM setting", item: settingUpdateItem },
  "policy.update": { label: "Change an approval policy", item: policyUpdateItem },
  "template.upsert": { label: "Create or change a key template", item: keyTemplate },
  "backup-schedule.upsert": {
    label: "Create or change a backup schedule",
    item: scheduleUpsertItem,
  },
  "backup-schedule.delete": { label: "Delete a backup schedule", item: scheduleDeleteItem },
  "restore.key": { label: "Restore a key from a backup", item: restoreKeyItem },
  "restore.full": { label: "Restore the whole HSM from a backup", item: restoreFullItem },
} as const satisfies Record<RequestKind, { label: string; item: z.ZodType }>;

export { REQUEST_KIND_NAMES, type RequestKind };

export type ItemOf<K extends RequestKind> = z.output<(typeof REQUEST_KINDS)[K]["item"]>;
export type AnyItem = { [K in RequestKind]: ItemOf<K> }[RequestKind];

/** A request's kind and its items, typed together. */
export type KindItems = { [K in RequestKind]: { kind: K; items: ItemOf<K>[] } }[RequestKind];

/** Kinds that change the portal, not an HSM: no HSM is named and nothing is read from one. */
export const PORTAL_KINDS: ReadonlySet<RequestKind> = new Set(["policy.update", "template.upsert"]);

/**
 * Kinds that change the portal's backup schedules of the HSM they name: nothing is read from or
 * written to the HSM; the executor writes the schedule row in the transaction settling the item.
 */
export const SCHEDULE_KINDS: ReadonlySet<RequestKind> = new Set([
  "backup-schedule.upsert",
  "backup-schedule.delete",
]);

/** Kinds whose items name a key, and so belong to the key's owner groups. */
export const KEY_KINDS: ReadonlySet<RequestKind> = new Set([
  "key.create",
  "key.import",
  "key.update",
  "key.rotate",
  "key.rotation-policy",
  "key.delete",
  "key.recover",
  "key.purge",
  "restore.key",
]);

/** Kinds that restore from a backup run: read and carried out by lib/backup/restore-*.ts. */
export type RestoreKind = "restore.key" | "restore.full";
export const isRestoreKind = (kind: RequestKind): kind is RestoreKind =>
  kind === "restore.key" || kind === "restore.full";

/** The key an item names, for key kinds. */
export function keyOf(item: AnyItem): string | null {
  return "key" in item && typeof item.key === "string" ? item.key : null;
}
