import { BUILT_IN_ROLES, keyOfScope, type PrincipalKind } from "@/lib/access/model";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import { durationInWords } from "@/lib/rotation/policy";
import { grantApprovals, latestExpiry, type KeyTemplate } from "@/lib/templates/template";

/*
 * Self-service: what an application team may ask for on its own keys, and when a key
 * template's approval count applies instead of the kind's policy. Pure: the service reads the
 * key's owner and template, the principal's kind and the clock, and passes them in.
 */

/** The roles a requester may grant an application on one of their keys. */
export const SELF_SERVICE_ROLES: ReadonlyMap<string, string> = new Map([
  [BUILT_IN_ROLES.cryptoUser, "Managed HSM Crypto User"],
  [BUILT_IN_ROLES.serviceEncryptionUser, "Managed HSM Crypto Service Encryption User"],
  [BUILT_IN_ROLES.serviceReleaseUser, "Managed HSM Crypto Service Release User"],
]);

/** The kinds a requester may file. */
export const SELF_SERVICE_KINDS: ReadonlySet<RequestKind> = new Set([
  "key.create",
  "key.rotate",
  "key.update",
  "role-assignment.create",
]);

export const REQUESTER_KINDS_WORDS =
  "As a requester you may ask for a key from a template, access for an application, a rotation or a later expiry; ask the key team for other changes.";

/** One item of a request, with what the service read about its key. */
export interface ItemSubject {
  item: AnyItem;
  /** The key the item acts on as the inventory holds it; null when it holds no such key. */
  key: { name: string; owner: string | null; template: KeyTemplate | null } | null;
  /** key.create: the template the item was made from (null: described in full). */
  fromTemplate: KeyTemplate | null;
  /** role-assignment.create: what the directory says the principal is. */
  principalKind: PrincipalKind | null;
}

export interface SelfServiceRefusal {
  code: "forbidden" | "not_found" | "validation_failed";
  reason: string;
  /** Under the item, when one member is at fault. */
  member?: string;
}

/** The key an item acts on: its `key`, or a key scope's name. */
export function keyOfItem(kind: RequestKind, item: AnyItem): string | null {
  if (kind === "role-assignment.create") return keyOfScope((item as { scope: string }).scope);
  return "key" in item && typeof item.key === "string" ? item.key : null;
}

type Fields = Record<string, unknown>;
const changedFields = (item: AnyItem) =>
  Object.keys(item).filter((name) => name !== "key" && (item as Fields)[name] !== undefined);

/** Why an expiry change is outside the template's limits, or null when it is inside them. */
function expiryRefusal(template: KeyTemplate, expiresOn: unknown, now: number): string | null {
  if (typeof expiresOn !== "string") return "an expiry is extended to a date, not cleared";
  const at = Date.parse(expiresOn);
  if (at <= now) return "the new expiry is in the past";
  if (at > latestExpiry(template, now))
    return `the template ${template.name} lets a key live at most ${durationInWords(template.maxExpiry)} from today`;
  return null;
}

/**
 * The approvals the template behind this item asks for, when the item stays inside what the
 * template allows; null when the kind's own policy applies.
 */
export function templateApprovalsOf(
  kind: RequestKind,
  subject: ItemSubject,
  now: number,
): number | null {
  if (kind === "key.create") return subject.fromTemplate?.approvals ?? null;
  const template = subject.key?.template;
  if (!template) return null;
  switch (kind) {
    case "key.rotate":
      return template.approvals;
    case "key.update": {
      const fields = changedFields(subject.item);
      const onlyExpiry = fields.length === 1 && fields[0] === "expiresOn";
      const item = subject.item as { expiresOn?: unknown };
      return onlyExpiry && !expiryRefusal(template, item.expiresOn, now)
        ? template.approvals
        : null;
    }
    case "role-assignment.create": {
      const item = subject.item as { roleDefinitionId: string; expiresAfter?: string };
      const inside =
        SELF_SERVICE_ROLES.has(item.roleDefinitionId.toLowerCase()) &&
        subject.principalKind === "servicePrincipal";
      return inside ? grantApprovals(template, item.expiresAfter !== undefined) : null;
    }
    default:
      return null;
  }
}

/** The approvals a whole request needs from its templates: the most any item needs, or null. */
export function requestTemplateApprovals(
  kind: RequestKind,
  subjects: readonly ItemSubject[],
  now: number,
): number | null {
  let most = 0;
  for (const subject of subjects) {
    const approvals = templateApprovalsOf(kind, subject, now);
    if (approvals === null) return null;
    most = Math.max(most, approvals);
  }
  return subjects.length > 0 ? most : null;
}

/**
 * Why a requester (who may not file any change) may not file this item, or null. Another
 * group's key, or one that does not exist, is not found: a requester learns nothing of it.
 */
export function requesterRefusal(
  kind: RequestKind,
  hsm: string,
  subject: ItemSubject,
  groups: ReadonlySet<string>,
  now: number,
): SelfServiceRefusal | null {
  if (!SELF_SERVICE_KINDS.has(kind)) return { code: "forbidden", reason: REQUESTER_KINDS_WORDS };
  if (kind === "key.create") {
    if (!subject.fromTemplate)
      return {
        code: "forbidden",
        reason: "As a requester you make keys from a key template; name one in `template`.",
        member: "template",
      };
    const owner = (subject.item as { tags?: Record<string, string> }).tags?.owner ?? "";
    return groups.has(owner.toLowerCase())
      ? null
      : {
          code: "forbidden",
          reason: "The key's group must be one of your groups.",
          member: "group",
        };
  }
  const name = keyOfItem(kind, subject.item);
  if (kind === "role-assignment.create" && name === null)
    return {
      code: "forbidden",
      reason: "As a requester you grant access to one key (/keys/{name}), never to / or /keys.",
      member: "scope",
    };
  const owner = subject.key?.owner?.toLowerCase();
  if (!subject.key || !owner || !groups.has(owner))
    return {
      code: "not_found",
      reason: `HSM ${hsm} has no key named ${name ?? ""} that you can see.`,
    };
  if (kind === "role-assignment.create") {
    const item = subject.item as { roleDefinitionId: string };
    if (!SELF_SERVICE_ROLES.has(item.roleDefinitionId.toLowerCase()))
      return {
        code: "forbidden",
        reason: `As a requester you may grant only ${[...SELF_SERVICE_ROLES.values()].join(", ")}.`,
        member: "roleDefinitionId",
      };
    if (subject.principalKind !== "servicePrincipal")
      return {
        code: "forbidden",
        reason:
          "As a requester you grant access to an application's service principal or managed identity, not to a user or a group.",
        member: "principalId",
      };
  }
  if (kind === "key.update") {
    const template = subject.key.template;
    if (!template)
      return {
        code: "forbidden",
        reason: `Key ${subject.key.name} was not made from a key template, so its expiry is the key team's to change.`,
      };
    const fields = changedFields(subject.item);
    if (fields.length !== 1 || fields[0] !== "expiresOn")
      return {
        code: "forbidden",
        reason: "As a requester you may change a key's expiry only (extend it).",
        member: fields.find((f) => f !== "expiresOn") ?? "expiresOn",
      };
    const refusal = expiryRefusal(template, (subject.item as Fields).expiresOn, now);
    if (refusal) return { code: "validation_failed", reason: `${refusal}.`, member: "expiresOn" };
  }
  return null;
}
