import type { AuditOutcome, AuditTarget } from "@/lib/audit/types";

/* The audit log in words, for the page. Pure. */

/** Names of target members as a reader says them. */
const MEMBER_WORDS: Record<string, string> = {
  hsm: "HSM",
  key: "key",
  rule: "rule",
  path: "path",
  feed: "calendar feed",
  request: "change request",
  session: "session",
  run: "sync run",
  assignment: "role assignment",
  "role-definition": "custom role",
  change: "out-of-band change",
  review: "access review",
};

/**
 * `{ hsm: "keyward-weu", key: "k1" }` → "key k1 in HSM keyward-weu"; `{ rule: "x" }` → "rule x";
 * anything else as "name value" pairs. "—" when there is no target.
 */
export function describeTarget(target: AuditTarget): string {
  const { hsm, key, ...rest } = target;
  const parts: string[] = [];
  if (key !== undefined && key !== null)
    parts.push(hsm !== undefined && hsm !== null ? `key ${key} in HSM ${hsm}` : `key ${key}`);
  else if (hsm !== undefined && hsm !== null) parts.push(`HSM ${hsm}`);
  for (const [name, value] of Object.entries(rest))
    parts.push(`${MEMBER_WORDS[name] ?? name} ${value === null ? "none" : String(value)}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}

export const OUTCOME_LABELS: Record<AuditOutcome, string> = {
  succeeded: "Succeeded",
  failed: "Failed",
  denied: "Denied",
};
