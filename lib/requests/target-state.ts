import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

import {
  stateOfUpsert,
  type ScheduleState,
  type ScheduleUpsert,
} from "@/lib/backup/schedule-items";
import type { RoleAssignmentInfo, RoleDefinitionInfo } from "@/lib/hsm/types";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";

/*
 * The part of a target's state a change depends on, read live from the HSM when a request is
 * filed and again right before it is executed: if the two differ the item is stale and nothing
 * is written. Pure: the service reads the HSM and hands the reading in.
 */

export interface KeyState {
  version: string;
  enabled: boolean;
  notBefore: number | null;
  expiresOn: number | null;
  tags: Record<string, string>;
  keyOps: string[];
}

export interface PolicyState {
  lifetimeActions: {
    action: string;
    timeAfterCreate: string | null;
    timeBeforeExpiry: string | null;
  }[];
  expiresIn: string | null;
}

/** The backup run a restore names, as the portal recorded it (restore kinds). */
export interface RestoreSource {
  runId: string;
  hsm: string;
  state: string;
  folderUrl: string | null;
  finishedAt: number | null;
  folderDeletedAt: number | null;
  catalogued: boolean;
  /** restore.key: the versions of the key the run's catalogue holds (null: it holds no such key). */
  versions?: string[] | null;
}

/** What the HSM holds for one item's target; only the members its kind reads are present. */
export interface TargetState {
  key?: KeyState | null;
  deleted?: { recoveryLevel: string | null; scheduledPurgeOn: number | null } | null;
  policy?: PolicyState | null;
  assignment?: Omit<RoleAssignmentInfo, "name"> | null;
  /** Without the description: states kept with requests filed before it was read stay comparable. */
  definition?: Omit<RoleDefinitionInfo, "id" | "description"> | null;
  setting?: { value: string; type: string } | null;
  /** The portal's own approval policy (policy.update). */
  approvalPolicy?: unknown;
  /** The portal's key template of that name (template.upsert); null when it is new. */
  template?: unknown;
  /** The portal's backup schedule of that name on the HSM (backup-schedule kinds). */
  schedule?: ScheduleState | null;
  /** The backup run a restore names; null when there is no such run. */
  backup?: RestoreSource | null;
}

export function stateHash(state: TargetState): string {
  return createHash("sha256")
    .update(canonicalize(state) ?? "null")
    .digest("hex");
}

const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);
const sameSet = (a: readonly string[], b: readonly string[]) =>
  same([...new Set(a)].sort(), [...new Set(b)].sort());
/** The HSM keeps dates to the second. */
const sameSecond = (a: number | null, b: number | null | undefined) =>
  (a === null ? null : Math.floor(a / 1000)) === (b == null ? b : Math.floor(b / 1000));
const epoch = (iso: string | null | undefined) =>
  iso === undefined ? undefined : iso === null ? null : Date.parse(iso);

export interface FilingRefusal {
  code: "not_found" | "conflict" | "validation_failed";
  reason: string;
}

/** Whether an item can be filed against what the HSM holds now, or why not (said before filing). */
export function filingRefusal(
  kind: RequestKind,
  item: AnyItem,
  state: TargetState,
  hsm: string,
): FilingRefusal | null {
  const key = "key" in item ? String(item.key) : "";
  switch (kind) {
    case "key.create":
    case "key.import":
      if (state.key)
        return { code: "conflict", reason: `HSM ${hsm} already has a key named ${key}.` };
      if (state.deleted)
        return {
          code: "conflict",
          reason: `A deleted key named ${key} holds the name in HSM ${hsm}: recover or purge it first.`,
        };
      return null;
    case "key.rotate":
      if (!state.key) return { code: "not_found", reason: `HSM ${hsm} has no key named ${key}.` };
      return state.policy
        ? null
        : {
            code: "conflict",
            reason: `Key ${key} has no rotation policy, and Managed HSM rotates on demand only a key that has one: set a rotation policy first.`,
          };
    case "key.update":
    case "key.rotation-policy":
    case "key.delete":
      return state.key
        ? null
        : { code: "not_found", reason: `HSM ${hsm} has no key named ${key}.` };
    case "key.recover":
    case "key.purge":
      if (!state.deleted)
        return { code: "not_found", reason: `HSM ${hsm} has no deleted key named ${key}.` };
      if (kind === "key.purge" && !/Purgeable/.test(state.deleted.recoveryLevel ?? ""))
        return {
          code: "conflict",
          reason: `HSM ${hsm} has purge protection on (recovery level ${state.deleted.recoveryLevel ?? "unknown"}): ${key} cannot be purged; it is removed when its retention ends${state.deleted.scheduledPurgeOn ? ` (${new Date(state.deleted.scheduledPurgeOn).toISOString()})` : ""}.`,
        };
      return null;
    case "role-assignment.delete":
      return state.assignment
        ? null
        : {
            code: "not_found",
            reason: `HSM ${hsm} has no role assignment ${"name" in item ? item.name : ""}.`,
          };
    case "role-definition.upsert":
    case "role-definition.delete":
      if (state.definition && state.definition.roleType !== "CustomRole")
        return {
          code: "conflict",
          reason: `${state.definition.roleName} is a built-in role and cannot be changed.`,
        };
      if (kind === "role-definition.delete" && !state.definition)
        return {
          code: "not_found",
          reason: `HSM ${hsm} has no custom role ${"name" in item ? item.name : ""}.`,
        };
      return null;
    case "setting.update":
      return state.setting
        ? null
        : {
            code: "not_found",
            reason: `HSM ${hsm} has no setting named ${"name" in item ? item.name : ""}.`,
          };
    case "backup-schedule.delete":
      return state.schedule
        ? null
        : {
            code: "not_found",
            reason: `HSM ${hsm} has no backup schedule named ${"name" in item ? item.name : ""}.`,
          };
    default:
      return null;
  }
}

/**
 * Whether the HSM already holds what an item asked for: after a write whose outcome is unknown
 * (the connection broke, the portal was killed), the executor reads the target again and this
 * decides between "done" and "try again" — never a blind second write.
 */
export function isApplied(
  kind: RequestKind,
  item: AnyItem,
  before: TargetState,
  now: TargetState,
): boolean {
  switch (kind) {
    case "key.create":
    case "key.import":
    case "key.recover":
      return Boolean(now.key);
    case "key.update": {
      const change = item as {
        enabled?: boolean;
        expiresOn?: string | null;
        notBefore?: string | null;
        tags?: Record<string, string>;
        keyOps?: string[];
      };
      const key = now.key;
      if (!key) return false;
      return (
        (change.enabled === undefined || key.enabled === change.enabled) &&
        (change.expiresOn === undefined || sameSecond(key.expiresOn, epoch(change.expiresOn))) &&
        (change.notBefore === undefined || sameSecond(key.notBefore, epoch(change.notBefore))) &&
        (change.tags === undefined || same(key.tags, change.tags)) &&
        (change.keyOps === undefined || sameSet(key.keyOps, change.keyOps))
      );
    }
    case "key.rotate":
      return Boolean(now.key && before.key && now.key.version !== before.key.version);
    case "key.rotation-policy": {
      const { policy } = item as {
        policy: {
          lifetimeActions: {
            action: string;
            timeAfterCreate?: string;
            timeBeforeExpiry?: string;
          }[];
          expiresIn?: string | null;
        };
      };
      // No actions and no expiry is no policy: the HSM reads it back as none.
      const wanted = normalisedPolicy(policy);
      const empty = wanted.lifetimeActions.length === 0 && wanted.expiresIn === null;
      return empty ? !now.policy || same(now.policy, wanted) : same(now.policy, wanted);
    }
    case "key.delete":
      return !now.key;
    case "key.purge":
      return !now.key && !now.deleted;
    case "role-assignment.create":
      return Boolean(now.assignment);
    case "role-assignment.delete":
      return !now.assignment;
    case "role-definition.upsert": {
      const wanted = item as {
        roleName: string;
        description: string;
        dataActions: string[];
        notDataActions: string[];
      };
      const role = now.definition;
      return Boolean(
        role &&
        role.roleName === wanted.roleName &&
        sameSet(role.dataActions, wanted.dataActions) &&
        sameSet(role.notDataActions, wanted.notDataActions),
      );
    }
    case "role-definition.delete":
      return !now.definition;
    case "setting.update":
      return now.setting?.value === (item as { value: string }).value;
    case "policy.update":
      return same(now.approvalPolicy, (item as { policy: unknown }).policy);
    case "template.upsert":
      return same(now.template, item);
    case "backup-schedule.upsert":
      return same(now.schedule, stateOfUpsert(item as ScheduleUpsert));
    case "backup-schedule.delete":
      return !now.schedule;
    case "restore.key":
      return Boolean(now.key);
    case "restore.full":
      // Nothing read back tells a full restore happened: only its recorded operation does.
      return false;
  }
}

/** A requested rotation policy in the shape the HSM reads back. */
export function normalisedPolicy(policy: {
  lifetimeActions: { action: string; timeAfterCreate?: string; timeBeforeExpiry?: string }[];
  expiresIn?: string | null;
}): PolicyState {
  return {
    lifetimeActions: policy.lifetimeActions.map((a) => ({
      action: a.action,
      timeAfterCreate: a.timeAfterCreate ?? null,
      timeBeforeExpiry: a.timeBeforeExpiry ?? null,
    })),
    expiresIn: policy.expiresIn ?? null,
  };
}
