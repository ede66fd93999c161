import type { ChangeWhat, ObservedChange } from "@/lib/out-of-band/rules";

/* Out-of-band changes in words. Pure. */

/** One line in words, for lists, the audit log and the webhook. */
export function describeChange(
  change: Pick<ObservedChange, "subjectKind" | "subjectName" | "what">,
): string {
  const subject =
    change.subjectKind === "key"
      ? `key ${change.subjectName}`
      : change.subjectKind === "assignment"
        ? `role assignment ${change.subjectName}`
        : change.subjectKind === "role-definition"
          ? `custom role ${change.subjectName}`
          : `setting ${change.subjectName}`;
  const words: Record<ChangeWhat, string> = {
    created: "created",
    deleted: "deleted",
    recovered: "recovered",
    purged: "purged",
    rotated: "rotated (a new version)",
    attributes: "attributes changed",
    tags: "tags changed",
    "rotation-policy": "rotation policy changed",
    added: "added",
    removed: "removed",
    changed: "changed",
  };
  return `${subject}: ${words[change.what]}`;
}
