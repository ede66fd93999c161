import "server-only";

import { unseal } from "@/lib/crypto/seal";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import {
  createKey,
  deleteKey,
  importKey,
  purgeKey,
  recoverKey,
  rotateKey,
  setRotationPolicy,
  updateKey,
} from "@/lib/hsm/key-writes";
import {
  createRoleAssignment,
  deleteRoleAssignment,
  deleteRoleDefinition,
  upsertRoleDefinition,
} from "@/lib/hsm/rbac-writes";
import { updateSetting } from "@/lib/hsm/settings";
import type { ImportedJwk } from "@/lib/hsm/types";
import type { AnyItem, ItemOf, RequestKind } from "@/lib/requests/kinds";

/*
 * Each kind's one operation, given an item as it was filed. The HSM's answer comes back as plain
 * data for the item's record (never key material). `policy.update` writes the portal's own
 * table, inside the transaction the executor hands it.
 */

const epoch = (iso: string | null | undefined) =>
  iso === undefined ? undefined : iso === null ? null : Date.parse(iso);

export interface OperationContext {
  handle: HsmHandle | null;
  /** The sealed private members of an imported key, with the keys that open them. */
  secret: { sealed: string | null; keys: readonly Buffer[] };
  requestId: string;
}

function hsmOf(context: OperationContext): HsmHandle {
  if (!context.handle) throw new AppError("internal", "this kind of request needs an HSM");
  return context.handle;
}

function unsealedSecret(context: OperationContext): Record<string, string> {
  const opened = context.secret.sealed
    ? unseal(context.secret.sealed, context.secret.keys, "request-key-material")
    : null;
  if (!opened)
    throw new AppError(
      "conflict",
      "The key material of this import is no longer held (the portal's sealing keys changed, or the request was settled).",
    );
  return JSON.parse(opened) as Record<string, string>;
}

export async function operate(
  kind: RequestKind,
  item: AnyItem,
  context: OperationContext,
): Promise<unknown> {
  switch (kind) {
    case "key.create": {
      const i = item as ItemOf<"key.create">;
      const created = await createKey(hsmOf(context), i.key, {
        kty: i.kty,
        size: i.size,
        curve: i.curve,
        keyOps: i.keyOps,
        enabled: i.enabled,
        notBefore: epoch(i.notBefore),
        expiresOn: epoch(i.expiresOn),
        tags: i.tags,
        exportable: i.exportable,
      });
      if (!i.rotationPolicy) return created;
      try {
        await setRotationPolicy(hsmOf(context), i.key, i.rotationPolicy);
      } catch (error) {
        // Unknown: the executor reads the key back and sets the policy again (resume-safe).
        if (isOutcomeUnknown(error)) throw error;
        throw new AppError(
          "upstream_failed",
          `the key ${i.key} was created, but its rotation policy could not be set: ${(error as Error).message}`,
        );
      }
      return { ...(created as object), rotationPolicySet: true };
    }
    case "key.import": {
      const i = item as ItemOf<"key.import">;
      const jwk = { ...i.jwk, ...unsealedSecret(context) } as ImportedJwk;
      return importKey(hsmOf(context), i.key, jwk, {
        enabled: i.enabled,
        notBefore: epoch(i.notBefore),
        expiresOn: epoch(i.expiresOn),
        tags: i.tags,
      });
    }
    case "key.update": {
      const i = item as ItemOf<"key.update">;
      return updateKey(hsmOf(context), i.key, {
        enabled: i.enabled,
        expiresOn: epoch(i.expiresOn),
        notBefore: epoch(i.notBefore),
        tags: i.tags,
        keyOps: i.keyOps,
      });
    }
    case "key.rotate":
      return rotateKey(hsmOf(context), (item as ItemOf<"key.rotate">).key);
    case "key.rotation-policy": {
      const i = item as ItemOf<"key.rotation-policy">;
      return setRotationPolicy(hsmOf(context), i.key, i.policy);
    }
    case "key.delete":
      return deleteKey(hsmOf(context), (item as ItemOf<"key.delete">).key);
    case "key.recover":
      return recoverKey(hsmOf(context), (item as ItemOf<"key.recover">).key);
    case "key.purge":
      await purgeKey(hsmOf(context), (item as ItemOf<"key.purge">).key);
      return { purged: true };
    case "role-assignment.create": {
      const i = item as ItemOf<"role-assignment.create"> & { name: string };
      return createRoleAssignment(hsmOf(context), {
        scope: i.scope,
        roleDefinitionId: i.roleDefinitionId,
        principalId: i.principalId,
        name: i.name,
      });
    }
    case "role-assignment.delete": {
      const i = item as { name: string; scope: string };
      await deleteRoleAssignment(hsmOf(context), i.scope, i.name);
      return { deleted: true };
    }
    case "role-definition.upsert": {
      const i = item as ItemOf<"role-definition.upsert"> & { name: string };
      return upsertRoleDefinition(hsmOf(context), {
        name: i.name,
        roleName: i.roleName,
        description: i.description,
        dataActions: i.dataActions,
        notDataActions: i.notDataActions,
      });
    }
    case "role-definition.delete":
      await deleteRoleDefinition(hsmOf(context), (item as ItemOf<"role-definition.delete">).name);
      return { deleted: true };
    case "setting.update": {
      const i = item as ItemOf<"setting.update">;
      return updateSetting(hsmOf(context), i.name, i.value);
    }
    case "policy.update":
    case "template.upsert":
      throw new AppError("internal", "a portal change is applied in the executor's transaction");
    case "restore.key":
    case "restore.full":
      throw new AppError("internal", "a restore is carried out by lib/backup/restore-execution");
  }
}

/** Stores a new approval policy (the `policy.update` kind), in the caller's transaction. */
export async function storeApprovalPolicy(
  trx: Db,
  item: ItemOf<"policy.update">,
  requestId: string,
  at: number,
): Promise<void> {
  const policy = JSON.stringify(item.policy);
  await trx
    .insertInto("approval_policy")
    .values({ kind: item.kind, policy, updated_at: at, updated_by_request: requestId })
    .onConflict((c) =>
      c.column("kind").doUpdateSet({ policy, updated_at: at, updated_by_request: requestId }),
    )
    .execute();
}
