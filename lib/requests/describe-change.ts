import { FULL_RESTORE_WARNING } from "@/lib/backup/restore-rules";
import { scheduleChangeInWords } from "@/lib/backup/schedule-items";
import { formatUtc, formatUtcDate } from "@/lib/format/date";
import { REQUEST_KINDS, type RequestKind } from "@/lib/requests/kinds";
import { approvalPolicy, type ApprovalPolicy } from "@/lib/requests/policy";
import type { KeyState, PolicyState, TargetState } from "@/lib/requests/target-state";
import { durationInWords } from "@/lib/rotation/policy";
import { templateChangeInWords } from "@/lib/templates/describe";

/*
 * One item of a change request in words, for the approver: what changes from what the HSM held
 * when the request was filed ("enabled: yes → no", "tags app: orders → payments"). Pure: the
 * item's change as filed, the target's state read at filing, and names for ids if known.
 */

/** Names for the ids a role-assignment item carries; an unknown id is shown as it is. */
export interface ChangeNames {
  principal?: (id: string) => string | undefined;
  role?: (id: string) => string | undefined;
}

type Change = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
const yesNo = (value: boolean) => (value ? "yes" : "no");
const list = (values: readonly string[]) => (values.length > 0 ? values.join(", ") : "(none)");

/** An instant as the UTC date, with the time of day unless it is midnight. */
function instant(value: number | string): string {
  const ms = typeof value === "number" ? value : Date.parse(value);
  return ms % 86_400_000 === 0 ? formatUtcDate(ms) : formatUtc(ms);
}

/** "label: before → after", "label: after (unchanged)", or "label: after" when before is unknown. */
function fromTo(label: string, before: string | undefined, after: string): string {
  if (before === undefined) return `${label}: ${after}`;
  return before === after ? `${label}: ${after} (unchanged)` : `${label}: ${before} → ${after}`;
}

function tagChanges(before: Record<string, string> | undefined, after: Record<string, string>) {
  if (!before) return Object.entries(after).map(([tag, value]) => `tags ${tag}: ${value}`);
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = names.filter((tag) => before[tag] !== after[tag]);
  if (changed.length === 0) return ["tags: unchanged"];
  return changed.map(
    (tag) => `tags ${tag}: ${before[tag] ?? "(none)"} → ${after[tag] ?? "(removed)"}`,
  );
}

/** The attributes a key.create, key.import or key.update item sets, against the key's state. */
function attributeChanges(change: Change, key: KeyState | null | undefined): string[] {
  const lines: string[] = [];
  if (typeof change.enabled === "boolean")
    lines.push(fromTo("enabled", key ? yesNo(key.enabled) : undefined, yesNo(change.enabled)));
  if (change.notBefore !== undefined)
    lines.push(
      fromTo(
        "valid from",
        key ? (key.notBefore === null ? "immediately" : instant(key.notBefore)) : undefined,
        change.notBefore === null ? "immediately" : instant(text(change.notBefore) ?? ""),
      ),
    );
  if (change.expiresOn !== undefined)
    lines.push(
      fromTo(
        "expires",
        key ? (key.expiresOn === null ? "never" : instant(key.expiresOn)) : undefined,
        change.expiresOn === null ? "never" : instant(text(change.expiresOn) ?? ""),
      ),
    );
  if (Array.isArray(change.keyOps))
    lines.push(
      fromTo(
        "operations",
        key ? list([...key.keyOps].sort()) : undefined,
        list([...(change.keyOps as string[])].sort()),
      ),
    );
  if (change.tags && typeof change.tags === "object")
    lines.push(...tagChanges(key?.tags, change.tags as Record<string, string>));
  if (typeof change.exportable === "boolean") lines.push(`exportable: ${yesNo(change.exportable)}`);
  return lines;
}

function keyKind(kty: string | undefined): string {
  return kty === "oct" ? "an AES" : kty === "EC" ? "an EC" : kty === "RSA" ? "an RSA" : "a";
}

function newKey(change: Change): string {
  const kty = text(change.kty);
  if (kty === "EC")
    return `create an EC key${change.curve ? ` on curve ${text(change.curve)}` : ""}`;
  const size = typeof change.size === "number" ? ` ${change.size}-bit` : "";
  return `create ${keyKind(kty)}${size} key`;
}

type PolicyLike = {
  lifetimeActions: {
    action: string;
    timeAfterCreate?: string | null;
    timeBeforeExpiry?: string | null;
  }[];
  expiresIn?: string | null;
};

/** "rotate 90 days after creation, versions expire after 1 year". */
export function rotationPolicyInWords(policy: PolicyLike | null): string {
  if (!policy) return "none";
  const parts = policy.lifetimeActions.map((action) => {
    const verb = action.action.toLowerCase() === "rotate" ? "rotate" : "notify";
    return action.timeAfterCreate
      ? `${verb} ${durationInWords(action.timeAfterCreate)} after creation`
      : `${verb} ${durationInWords(action.timeBeforeExpiry ?? "")} before expiry`;
  });
  if (!policy.lifetimeActions.some((a) => a.action.toLowerCase() === "rotate"))
    parts.unshift("no automatic rotation");
  if (policy.expiresIn) parts.push(`versions expire after ${durationInWords(policy.expiresIn)}`);
  return parts.join(", ");
}

function samePolicy(a: PolicyLike, b: PolicyState): boolean {
  const normal = (p: PolicyLike) =>
    JSON.stringify({
      actions: p.lifetimeActions.map((x) => [
        x.action.toLowerCase(),
        x.timeAfterCreate ?? null,
        x.timeBeforeExpiry ?? null,
      ]),
      expiresIn: p.expiresIn ?? null,
    });
  return normal(a) === normal(b);
}

function rotationPolicyChange(change: Change, before: TargetState | null): string {
  const policy = change.policy as PolicyLike;
  const words = `rotation policy: ${rotationPolicyInWords(policy)}`;
  if (!before || before.policy === undefined) return words;
  if (before.policy === null) return `${words} (was: none)`;
  if (samePolicy(policy, before.policy)) return `${words} (unchanged)`;
  return `${words} (was: ${rotationPolicyInWords(before.policy)})`;
}

/** "/" → "the whole HSM (/)", "/keys" → "every key (/keys)", "/keys/a" → "key a". */
export function scopeInWords(scope: string): string {
  if (scope === "/") return "the whole HSM (/)";
  if (scope === "/keys") return "every key (/keys)";
  return scope.startsWith("/keys/") ? `key ${scope.slice("/keys/".length)}` : scope;
}

const ACTION_PREFIX = "Microsoft.KeyVault/managedHsm/";
const shortActions = (actions: unknown) =>
  Array.isArray(actions) ? actions.map((a) => String(a).replace(ACTION_PREFIX, "")).sort() : [];

function actionChanges(label: string, before: string[] | undefined, after: string[]): string {
  if (!before) return `${label}: ${list(after)}`;
  const added = after.filter((a) => !before.includes(a));
  const removed = before.filter((a) => !after.includes(a));
  if (added.length === 0 && removed.length === 0) return `${label}: unchanged`;
  return `${label}: ${[
    ...(added.length ? [`added ${added.join(", ")}`] : []),
    ...(removed.length ? [`removed ${removed.join(", ")}`] : []),
  ].join("; ")}`;
}

/** "2 distinct approvers from the group Key approvers, within 72 hours". */
export function approvalPolicyInWords(policy: ApprovalPolicy, required = policy.approvals): string {
  const who = `${required} distinct approver${required === 1 ? "" : "s"}`;
  const group = policy.group ? ` from the group ${policy.group.name}` : "";
  const hsmWide =
    policy.hsmWideApprovals &&
    policy.hsmWideApprovals > policy.approvals &&
    required === policy.approvals
      ? ` (${policy.hsmWideApprovals} for role assignments at / or /keys)`
      : "";
  return `${who}${hsmWide}${group}, within ${policy.windowHours} hour${policy.windowHours === 1 ? "" : "s"}`;
}

/** The backup a restore reads, in words: "backup run 5f0c… (finished 3 Dec 2026, 02:00 UTC)". */
function backupWords(change: Change, before: TargetState | null): string {
  const finishedAt = before?.backup?.finishedAt;
  const finished = finishedAt ? ` (finished ${formatUtc(finishedAt)})` : "";
  return `backup run ${text(change.backupRunId)}${finished}`;
}

/** What the request page says about a kind before anyone approves it, or null. */
export function kindWarning(kind: RequestKind): string | null {
  return kind === "restore.full" ? FULL_RESTORE_WARNING : null;
}

/**
 * The change one item makes, in words, one line per attribute it touches. `before` is the
 * target's state as read when the request was filed (null if it was not read).
 */
export function describeChange(
  kind: RequestKind,
  change: Change,
  before: TargetState | null,
  names: ChangeNames = {},
): string[] {
  const key = before?.key;
  switch (kind) {
    case "key.create":
      return [
        newKey(change),
        ...attributeChanges(change, undefined),
        ...(change.rotationPolicy
          ? [`then set its ${rotationPolicyChange({ policy: change.rotationPolicy }, null)}`]
          : []),
      ];
    case "key.import": {
      const jwk = (change.jwk ?? {}) as Change;
      return [`import ${keyKind(text(jwk.kty))} key`, ...attributeChanges(change, undefined)];
    }
    case "key.update":
      return attributeChanges(change, key);
    case "key.rotate":
      return [
        `rotate now: a new version replaces ${key ? `version ${key.version}` : "the current one"}`,
      ];
    case "key.rotation-policy":
      return [rotationPolicyChange(change, before)];
    case "key.delete":
      return ["delete the key: it can be recovered until it is purged"];
    case "key.recover":
      return ["recover the deleted key"];
    case "key.purge": {
      const purgeOn = before?.deleted?.scheduledPurgeOn;
      return [
        `purge the deleted key for good: it cannot be recovered${purgeOn ? ` (otherwise purged on ${instant(purgeOn)})` : ""}`,
      ];
    }
    case "role-assignment.create":
    case "role-assignment.delete": {
      const held = before?.assignment;
      const roleId = text(change.roleDefinitionId) ?? held?.roleDefinitionId;
      const principalId = text(change.principalId) ?? held?.principalId;
      const scope = scopeInWords(text(change.scope) ?? held?.scope ?? "/");
      if (!roleId || !principalId)
        return [`revoke role assignment ${text(change.name)} at ${scope}`];
      const role = names.role?.(roleId) ?? `role ${roleId}`;
      const principal = names.principal?.(principalId) ?? principalId;
      return kind === "role-assignment.create"
        ? [`grant ${role} to ${principal} at ${scope}`]
        : [`revoke ${role} from ${principal} at ${scope}`];
    }
    case "role-definition.upsert": {
      const held = before?.definition;
      const name = text(change.roleName) ?? "";
      const lines = [
        held ? fromTo("change custom role", held.roleName, name) : `create custom role ${name}`,
        actionChanges(
          "allowed actions",
          held ? shortActions(held.dataActions) : undefined,
          shortActions(change.dataActions),
        ),
      ];
      const denied = shortActions(change.notDataActions);
      if (denied.length > 0 || (held && held.notDataActions.length > 0))
        lines.push(
          actionChanges(
            "denied actions",
            held ? shortActions(held.notDataActions) : undefined,
            denied,
          ),
        );
      return lines;
    }
    case "role-definition.delete":
      return [`delete custom role ${before?.definition?.roleName ?? text(change.name)}`];
    case "setting.update":
      return [
        fromTo(`setting ${text(change.name)}`, before?.setting?.value, text(change.value) ?? ""),
      ];
    case "policy.update": {
      const kindName = text(change.kind) as RequestKind;
      const label = REQUEST_KINDS[kindName]?.label ?? kindName;
      const after = approvalPolicy.safeParse(change.policy);
      const was = approvalPolicy.safeParse(before?.approvalPolicy);
      return [
        fromTo(
          `approval policy of “${label}”`,
          was.success ? approvalPolicyInWords(was.data) : undefined,
          after.success ? approvalPolicyInWords(after.data) : "(unreadable)",
        ),
      ];
    }
    case "template.upsert":
      return templateChangeInWords(change, before?.template);
    case "backup-schedule.upsert":
    case "backup-schedule.delete":
      return scheduleChangeInWords(kind, change, before?.schedule);
    case "restore.key": {
      const versions = before?.backup?.versions?.length;
      const held = versions
        ? `${versions} version${versions === 1 ? "" : "s"}`
        : "all its versions";
      return [`restore key ${text(change.key)} with ${held} from ${backupWords(change, before)}`];
    }
    case "restore.full":
      return [
        "first back up the HSM as it is now (a safety backup)",
        `then replace every key, role assignment and custom role of the HSM with those of ${backupWords(change, before)}`,
      ];
  }
}
