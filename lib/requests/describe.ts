import { REQUEST_KINDS, type RequestKind } from "@/lib/requests/kinds";

/* Requests in words, for lists, notifications and the audit log. Pure. */

/** One item's target in words: "key payments", "role assignment 1f0c… at /keys". */
export function targetInWords(target: Record<string, string>): string {
  if (target.key) return `key ${target.key}`;
  if (target.kind) return `the approval policy of ${target.kind}`;
  if (target.template) return `key template ${target.template}`;
  if (target.scope)
    return `role assignment ${target.name ?? ""} at ${target.scope}`.replace("  ", " ");
  if (target.setting) return `setting ${target.setting}`;
  if (target.role) return `role ${target.role}`;
  if (target.schedule) return `backup schedule ${target.schedule}`;
  if (target.backup) return `everything, from backup run ${target.backup}`;
  return Object.values(target).join(" ");
}

/** "Rotate a key now: key payments on keyward-weu", or "…: 50 keys on keyward-weu". */
export function requestSummary(
  kind: RequestKind,
  hsm: string | null,
  targets: readonly Record<string, string>[],
): string {
  const label = REQUEST_KINDS[kind].label;
  const where = hsm ? ` on ${hsm}` : "";
  if (targets.length === 1) return `${label}: ${targetInWords(targets[0]!)}${where}`;
  const noun = targets.every((t) => t.key) ? "keys" : "items";
  return `${label}: ${targets.length} ${noun}${where}`;
}
