import "server-only";

import { AppError, isAppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { findDeletedKey, findKey } from "@/lib/hsm/key-writes";
import { getRotationPolicy, type CallProfile } from "@/lib/hsm/keys";
import { findRoleAssignment, findRoleDefinition } from "@/lib/hsm/rbac-writes";
import { findSetting } from "@/lib/hsm/settings";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import type { TargetState } from "@/lib/requests/target-state";

/*
 * Reads, live from the HSM (never from the mirror), the state an item's change depends on:
 * at filing (a person is waiting: the interactive profile) and right before execution.
 */

async function orNullIfMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}

/** Kinds whose rules look at a deleted key of the same name (creating over one, recovering one). */
const READS_DELETED = new Set<RequestKind>([
  "key.create",
  "key.import",
  "key.recover",
  "key.purge",
]);

/** A key and, when asked, its deleted twin and rotation policy, as an item's state holds them. */
export async function keyState(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
  reads: { policy: boolean; deleted: boolean },
) {
  const [key, deleted] = await Promise.all([
    findKey(handle, name, profile),
    reads.deleted ? findDeletedKey(handle, name, profile) : null,
  ]);
  const state: TargetState = {
    key: key && {
      version: key.version,
      enabled: key.enabled,
      notBefore: key.notBefore,
      expiresOn: key.expiresOn,
      tags: key.tags,
      keyOps: [...key.keyOps].sort(),
    },
    deleted: deleted && {
      recoveryLevel: deleted.recoveryLevel,
      scheduledPurgeOn: deleted.scheduledPurgeOn,
    },
  };
  if (reads.policy && key) {
    const policy = await orNullIfMissing(getRotationPolicy(handle, name, profile));
    state.policy = policy && {
      lifetimeActions: policy.lifetimeActions,
      expiresIn: policy.expiresIn,
    };
  }
  return state;
}

/** The state of one item's target on its HSM. */
export async function readTargetState(
  handle: HsmHandle,
  kind: RequestKind,
  item: AnyItem,
  profile: CallProfile,
): Promise<TargetState> {
  const named = item as { key?: string; name?: string; scope?: string };
  switch (kind) {
    case "role-assignment.create":
    case "role-assignment.delete": {
      const found = await findRoleAssignment(handle, named.scope ?? "/", named.name!, profile);
      return {
        assignment: found && {
          scope: found.scope,
          roleDefinitionId: found.roleDefinitionId,
          principalId: found.principalId,
        },
      };
    }
    case "role-definition.upsert":
    case "role-definition.delete": {
      const found = await findRoleDefinition(handle, named.name!, profile);
      return {
        definition: found && {
          roleName: found.roleName,
          roleType: found.roleType,
          dataActions: found.dataActions,
          notDataActions: found.notDataActions,
        },
      };
    }
    case "setting.update": {
      const found = await findSetting(handle, named.name!, profile);
      return { setting: found && { value: found.value, type: found.type } };
    }
    case "policy.update":
      return {};
    case "backup-schedule.upsert":
    case "backup-schedule.delete":
      throw new AppError("internal", "a backup schedule is read from the portal, not the HSM");
    default:
      // On-demand rotation needs a rotation policy: the rotate kind reads it too.
      return keyState(handle, named.key!, profile, {
        policy: kind === "key.rotation-policy" || kind === "key.rotate",
        deleted: READS_DELETED.has(kind),
      });
  }
}
