import type { AuditDetail } from "@/lib/audit/types";

/*
 * The last guard before an event is hashed: members whose names say they hold a secret (tokens,
 * passwords, a JWK's private parts) are replaced, wherever they are nested. Writers should never
 * put them there; this makes a slip harmless instead of permanent. Pure.
 */

export const REDACTED = "[redacted]";

const SECRET_NAME =
  /(token|secret|password|passphrase|private|credential|cookie|authorization|sas)/i;
/** The private members of a JWK (RFC 7517/7518): never in an audit event, whatever their parent. */
const JWK_PRIVATE_MEMBERS = new Set(["d", "p", "q", "dp", "dq", "qi", "k"]);

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === "object") return redactDetail(value as AuditDetail);
  return value;
}

export function redactDetail(detail: AuditDetail): AuditDetail {
  const clean: AuditDetail = {};
  for (const [name, value] of Object.entries(detail)) {
    if (value === undefined) continue;
    clean[name] =
      SECRET_NAME.test(name) || JWK_PRIVATE_MEMBERS.has(name) ? REDACTED : redactValue(value);
  }
  return clean;
}
