/* The kinds of change request by name (kinds.ts holds what each one is). */
export const REQUEST_KIND_NAMES = [
  "key.create",
  "key.import",
  "key.update",
  "key.rotate",
  "key.rotation-policy",
  "key.delete",
  "key.recover",
  "key.purge",
  "role-assignment.create",
  "role-assignment.delete",
  "role-definition.upsert",
  "role-definition.delete",
  "setting.update",
  "policy.update",
  "template.upsert",
  "backup-schedule.upsert",
  "backup-schedule.delete",
  "restore.key",
  "restore.full",
] as const;

export type RequestKind = (typeof REQUEST_KIND_NAMES)[number];
