import "server-only";

import type { Db } from "@/lib/db/client";
import type { InventoryKeyTable } from "@/lib/db/schema/inventory/table";
import type {
  DeletedKeyInfo,
  KeyAttributes,
  KeyDetail,
  RoleAssignmentInfo,
  RotationPolicyInfo,
} from "@/lib/hsm/types";
import { nextRotationAt, policyState } from "@/lib/rotation/policy";

/*
 * Writes of mirrored keys. Every write for a batch of keys is one transaction, so a page never
 * sees a key without its tags or assignments, and PostgreSQL round trips stay few.
 */

export interface MirrorEntry {
  version: string;
  updatedAt: number;
  deletedAt: number | null;
  detailSyncedAt: number | null;
  attributesReadAt: number;
  createdAt: number;
  expiresAt: number | null;
  hasDetail: boolean;
  /** The mirror holds the key's version count (a full sync skips its version list if unchanged). */
  hasVersionCount: boolean;
}

/** What sync read about one key: at least its listed attributes, and the rest when it could. */
export interface KeySnapshot {
  /** When the attributes were read (before the request was sent). */
  readAt: number;
  attributes: KeyAttributes;
  detail?: KeyDetail;
  versionCount?: number;
  /** undefined: not read this time (keep the mirror's); null: the key has no policy. */
  policy?: RotationPolicyInfo | null;
  assignments?: RoleAssignmentInfo[];
  deleted?: DeletedKeyInfo;
}

const WRITE_CHUNK = 50;
const lower = (name: string) => name.toLowerCase();

export async function loadMirrorIndex(db: Db, hsm: string): Promise<Map<string, MirrorEntry>> {
  const rows = await db
    .selectFrom("inventory_key")
    .select([
      "name_lower",
      "version",
      "updated_at",
      "deleted_at",
      "detail_synced_at",
      "attributes_read_at",
      "created_at",
      "expires_at",
      "kty",
      "version_count",
    ])
    .where("hsm", "=", hsm)
    .execute();
  return new Map(
    rows.map((row) => [
      row.name_lower,
      {
        version: row.version,
        updatedAt: row.updated_at,
        deletedAt: row.deleted_at,
        detailSyncedAt: row.detail_synced_at,
        attributesReadAt: row.attributes_read_at,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        hasDetail: row.kty !== null,
        hasVersionCount: row.version_count !== null,
      },
    ]),
  );
}

function searchText(name: string, tags: Record<string, string>): string {
  return [name, ...Object.entries(tags).map(([tag, value]) => `${tag}=${value}`)]
    .join(" ")
    .toLowerCase();
}

function keyRow(
  hsm: string,
  snapshot: KeySnapshot,
  now: number,
): Omit<
  InventoryKeyTable,
  | "policy"
  | "policy_state"
  | "next_rotation_at"
  | "version_count"
  | "kty"
  | "family"
  | "key_size"
  | "curve"
  | "key_ops"
  | "detail_synced_at"
> {
  const { attributes, deleted } = snapshot;
  return {
    hsm,
    name_lower: lower(attributes.name),
    name: attributes.name,
    version: attributes.version,
    enabled: attributes.enabled ? 1 : 0,
    exportable: attributes.exportable ? 1 : 0,
    managed: attributes.managed ? 1 : 0,
    not_before: attributes.notBefore,
    expires_at: attributes.expiresOn,
    created_at: attributes.createdOn,
    updated_at: attributes.updatedOn,
    recovery_level: attributes.recoveryLevel,
    tags: JSON.stringify(attributes.tags),
    owner: attributes.tags.owner?.trim().toLowerCase() || null,
    deleted_at: deleted?.deletedOn ?? (deleted ? now : null),
    scheduled_purge_at: deleted?.scheduledPurgeOn ?? null,
    recovery_id: deleted?.recoveryId ?? null,
    search: searchText(attributes.name, attributes.tags),
    attributes_read_at: snapshot.readAt,
  };
}

function detailColumns(snapshot: KeySnapshot, now: number): Partial<InventoryKeyTable> {
  const columns: Partial<InventoryKeyTable> = {};
  if (snapshot.detail) {
    columns.kty = snapshot.detail.kty;
    columns.family = snapshot.detail.family;
    columns.key_size = snapshot.detail.keySize;
    columns.curve = snapshot.detail.curve;
    columns.key_ops = JSON.stringify(snapshot.detail.keyOps);
  }
  if (snapshot.versionCount !== undefined) columns.version_count = snapshot.versionCount;
  if (snapshot.policy !== undefined) {
    columns.policy = snapshot.policy ? JSON.stringify(snapshot.policy) : null;
    columns.policy_state = policyState(snapshot.policy);
    columns.next_rotation_at = nextRotationAt(snapshot.policy, {
      createdOn: snapshot.attributes.createdOn,
      expiresOn: snapshot.attributes.expiresOn,
    });
  }
  if (snapshot.policy !== undefined && snapshot.assignments !== undefined)
    columns.detail_synced_at = now;
  return columns;
}

type Transaction = Parameters<Parameters<ReturnType<Db["transaction"]>["execute"]>[0]>[0];

/** Replaces the key-scoped role assignments of the given keys with what was just read. */
async function replaceKeyAssignments(
  trx: Transaction,
  hsm: string,
  byKey: { keyLower: string; assignments: RoleAssignmentInfo[] }[],
): Promise<void> {
  if (byKey.length === 0) return;
  await trx
    .deleteFrom("inventory_role_assignment")
    .where("hsm", "=", hsm)
    .where(
      "key_lower",
      "in",
      byKey.map((k) => k.keyLower),
    )
    .execute();
  const rows = byKey.flatMap(({ keyLower, assignments }) =>
    assignments.map((a) => ({
      hsm,
      name: a.name,
      scope: a.scope,
      key_lower: keyLower,
      role_definition_id: a.roleDefinitionId,
      principal_id: a.principalId,
    })),
  );
  if (rows.length > 0)
    await trx
      .insertInto("inventory_role_assignment")
      .values(rows)
      .onConflict((conflict) => conflict.columns(["hsm", "name"]).doNothing())
      .execute();
}

/** Upserts keys with whatever was read about them, replacing tags and, when read, assignments. */
export async function writeKeys(
  db: Db,
  hsm: string,
  snapshots: KeySnapshot[],
  now: number = Date.now(),
): Promise<void> {
  for (let start = 0; start < snapshots.length; start += WRITE_CHUNK) {
    const chunk = snapshots.slice(start, start + WRITE_CHUNK);
    await db.transaction().execute(async (trx) => {
      for (const snapshot of chunk) {
        const row = keyRow(hsm, snapshot, now);
        const details = detailColumns(snapshot, now);
        await trx
          .insertInto("inventory_key")
          .values({
            kty: null,
            family: null,
            key_size: null,
            curve: null,
            key_ops: "[]",
            version_count: null,
            policy: null,
            policy_state: "unknown",
            next_rotation_at: null,
            detail_synced_at: null,
            ...row,
            ...details,
          })
          .onConflict((conflict) => {
            // A list entry names no version: keep the one the mirror has.
            const { version, ...unversioned } = row;
            return conflict
              .columns(["hsm", "name_lower"])
              .doUpdateSet({ ...(version ? { version } : {}), ...unversioned, ...details });
          })
          .execute();
      }
      const names = chunk.map((s) => lower(s.attributes.name));
      await trx
        .deleteFrom("inventory_key_tag")
        .where("hsm", "=", hsm)
        .where("key_lower", "in", names)
        .execute();
      const tags = chunk.flatMap((s) =>
        Object.entries(s.attributes.tags).map(([tag, value]) => ({
          hsm,
          key_lower: lower(s.attributes.name),
          tag,
          value,
        })),
      );
      if (tags.length > 0) await trx.insertInto("inventory_key_tag").values(tags).execute();
      await replaceKeyAssignments(
        trx,
        hsm,
        chunk.flatMap((s) =>
          s.assignments ? [{ keyLower: lower(s.attributes.name), assignments: s.assignments }] : [],
        ),
      );
    });
  }
}

/** Policy and key-scoped assignments re-read for keys whose attributes did not change. */
export async function writeDetails(
  db: Db,
  hsm: string,
  details: {
    nameLower: string;
    entry: MirrorEntry;
    policy: RotationPolicyInfo | null;
    assignments: RoleAssignmentInfo[];
  }[],
  now: number = Date.now(),
): Promise<void> {
  for (let start = 0; start < details.length; start += WRITE_CHUNK) {
    const chunk = details.slice(start, start + WRITE_CHUNK);
    await db.transaction().execute(async (trx) => {
      for (const { nameLower, entry, policy } of chunk)
        await trx
          .updateTable("inventory_key")
          .set({
            policy: policy ? JSON.stringify(policy) : null,
            policy_state: policyState(policy),
            next_rotation_at: nextRotationAt(policy, {
              createdOn: entry.createdAt,
              expiresOn: entry.expiresAt,
            }),
            detail_synced_at: now,
          })
          .where("hsm", "=", hsm)
          .where("name_lower", "=", nameLower)
          .execute();
      await replaceKeyAssignments(
        trx,
        hsm,
        chunk.map((d) => ({ keyLower: d.nameLower, assignments: d.assignments })),
      );
    });
  }
}

/** Keys soft-deleted since they were mirrored: keep what is known, add the deletion facts. */
export async function markDeleted(
  db: Db,
  hsm: string,
  deleted: DeletedKeyInfo[],
  now: number = Date.now(),
): Promise<void> {
  for (let start = 0; start < deleted.length; start += WRITE_CHUNK) {
    const chunk = deleted.slice(start, start + WRITE_CHUNK);
    await db.transaction().execute(async (trx) => {
      for (const key of chunk)
        await trx
          .updateTable("inventory_key")
          .set({
            deleted_at: key.deletedOn ?? now,
            scheduled_purge_at: key.scheduledPurgeOn,
            recovery_id: key.recoveryId,
          })
          .where("hsm", "=", hsm)
          .where("name_lower", "=", lower(key.name))
          .execute();
    });
  }
}

/** Keys gone from the HSM altogether (purged): no longer in the mirror. */
export async function removeKeys(db: Db, hsm: string, namesLower: string[]): Promise<void> {
  for (let start = 0; start < namesLower.length; start += WRITE_CHUNK) {
    const chunk = namesLower.slice(start, start + WRITE_CHUNK);
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("inventory_key")
        .where("hsm", "=", hsm)
        .where("name_lower", "in", chunk)
        .execute();
      await trx
        .deleteFrom("inventory_key_tag")
        .where("hsm", "=", hsm)
        .where("key_lower", "in", chunk)
        .execute();
      await trx
        .deleteFrom("inventory_role_assignment")
        .where("hsm", "=", hsm)
        .where("key_lower", "in", chunk)
        .execute();
    });
  }
}
