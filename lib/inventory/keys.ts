import "server-only";

import { sql, type ExpressionBuilder, type SelectQueryBuilder } from "kysely";

import type { Db } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";
import type { InventoryKeyTable } from "@/lib/db/schema/inventory/table";
import type { RotationPolicyInfo } from "@/lib/hsm/types";
import { parseTagFilter, type KeyFilters } from "@/lib/inventory/filters";
import type { Visibility } from "@/lib/inventory/visibility";

/*
 * Reads of mirrored keys for pages, the API and exports. Filtering, sorting and paging happen in
 * SQL, identically on SQLite and PostgreSQL; nothing in lib/inventory calls an HSM.
 */

const DAY_MS = 86_400_000;
const EXPORT_LIMIT = 50_000;

export interface InventoryKey {
  hsm: string;
  name: string;
  version: string;
  family: "RSA" | "EC" | "oct" | null;
  kty: string | null;
  keySize: number | null;
  curve: string | null;
  enabled: boolean;
  notBefore: number | null;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  versionCount: number | null;
  policyState: InventoryKeyTable["policy_state"];
  nextRotationAt: number | null;
  owner: string | null;
  tags: Record<string, string>;
  deletedAt: number | null;
  scheduledPurgeAt: number | null;
}

export interface InventoryKeyDetail extends InventoryKey {
  keyOps: string[];
  exportable: boolean;
  managed: boolean;
  recoveryLevel: string | null;
  policy: RotationPolicyInfo | null;
  detailSyncedAt: number | null;
  recoveryId: string | null;
}

type KeyQuery<O = object> = SelectQueryBuilder<Database, "inventory_key", O>;

/*
 * The columns a key list needs. Lists name them rather than select every column: the wide ones
 * (the policy, the search text, key operations) would cost more to read than the rows' filter.
 */
const LIST_COLUMNS = [
  "hsm",
  "name",
  "version",
  "family",
  "kty",
  "key_size",
  "curve",
  "enabled",
  "not_before",
  "expires_at",
  "created_at",
  "updated_at",
  "version_count",
  "policy_state",
  "next_rotation_at",
  "owner",
  "tags",
  "deleted_at",
  "scheduled_purge_at",
] as const satisfies readonly (keyof InventoryKeyTable)[];

function toKey(row: Pick<InventoryKeyTable, (typeof LIST_COLUMNS)[number]>): InventoryKey {
  return {
    hsm: row.hsm,
    name: row.name,
    version: row.version,
    family: row.family,
    kty: row.kty,
    keySize: row.key_size,
    curve: row.curve,
    enabled: row.enabled === 1,
    notBefore: row.not_before,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    versionCount: row.version_count,
    policyState: row.policy_state,
    nextRotationAt: row.next_rotation_at,
    owner: row.owner,
    tags: JSON.parse(row.tags) as Record<string, string>,
    deletedAt: row.deleted_at,
    scheduledPurgeAt: row.scheduled_purge_at,
  };
}

export function visible<O>(query: KeyQuery<O>, visibility: Visibility): KeyQuery<O> {
  if (visibility.all) return query;
  if (visibility.owners.length === 0) return query.where(sql<boolean>`1 = 0`);
  return query.where("owner", "in", visibility.owners);
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filtered<O>(query: KeyQuery<O>, filters: KeyFilters, now: number): KeyQuery<O> {
  let q = query;
  if (filters.q) q = q.where(sql<boolean>`search like ${likePattern(filters.q)} escape '\\'`);
  if (filters.hsm) q = q.where("hsm", "=", filters.hsm);
  if (filters.type) q = q.where("family", "=", filters.type);
  if (filters.size)
    q = /^\d+$/.test(filters.size)
      ? q.where("key_size", "=", Number(filters.size))
      : q.where("curve", "=", filters.size);
  if (filters.enabled) q = q.where("enabled", "=", filters.enabled === "yes" ? 1 : 0);
  if (filters.expiry === "expired") q = q.where("expires_at", "<=", now);
  if (filters.expiry === "30d")
    q = q.where("expires_at", ">", now).where("expires_at", "<=", now + 30 * DAY_MS);
  if (filters.expiry === "90d")
    q = q.where("expires_at", ">", now).where("expires_at", "<=", now + 90 * DAY_MS);
  if (filters.expiry === "none") q = q.where("expires_at", "is", null);
  if (filters.policy) q = q.where("policy_state", "=", filters.policy);
  if (filters.owner)
    q =
      filters.owner === "none"
        ? q.where("owner", "is", null)
        : q.where("owner", "=", filters.owner.toLowerCase());
  const tag = parseTagFilter(filters.tag);
  if (tag)
    q = q.where((eb: ExpressionBuilder<Database, "inventory_key">) =>
      eb.exists(
        eb
          .selectFrom("inventory_key_tag")
          .select(sql`1`.as("one"))
          .whereRef("inventory_key_tag.hsm", "=", "inventory_key.hsm")
          .whereRef("inventory_key_tag.key_lower", "=", "inventory_key.name_lower")
          .where("inventory_key_tag.tag", "=", tag.name)
          .$if(tag.value !== undefined, (sub) =>
            sub.where("inventory_key_tag.value", "=", tag.value!),
          ),
      ),
    );
  return q;
}

function sorted<O>(query: KeyQuery<O>, filters: KeyFilters): KeyQuery<O> {
  const dir = filters.dir;
  const nullsLast = (column: "expires_at" | "next_rotation_at" | "version_count") =>
    query.orderBy(column, (ob) => (dir === "asc" ? ob.asc() : ob.desc()).nullsLast());
  const byField: Record<KeyFilters["sort"], () => KeyQuery<O>> = {
    name: () => query.orderBy("name_lower", dir),
    hsm: () => query.orderBy("hsm", dir).orderBy("name_lower", "asc"),
    type: () => query.orderBy("family", dir).orderBy("key_size", dir).orderBy("curve", dir),
    expires: () => nullsLast("expires_at"),
    updated: () => query.orderBy("updated_at", dir),
    versions: () => nullsLast("version_count"),
    rotation: () => nullsLast("next_rotation_at"),
  };
  return byField[filters.sort]().orderBy("name_lower", "asc").orderBy("hsm", "asc");
}

/**
 * Moves on whenever a key appears, goes, or changes its name, dates or rotation policy, by any
 * process (triggers of migration 0022): the schedule the rotation calendar keeps of the mirror.
 */
export async function scheduleGeneration(db: Db): Promise<number> {
  const row = await db
    .selectFrom("inventory_generation")
    .select("generation")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.generation);
}

/**
 * PostgreSQL's stand-in for the generation (which has no triggers there, migration 0022 says
 * why): a fingerprint of what the calendar keeps of the live keys (HSM, name, creation, expiry,
 * policy), computed by the database, so that checking it ships one row, not 10,000. It is the
 * count and the sum of each row's MD5 cut to 60 bits: independent of row order, and it changes
 * with any change of those columns, while tags and owners leave it alone. Unlike the generation
 * it can come back to an earlier value (a change undone), so the schedule it vouches for must be
 * read in the same snapshot (`calendarKeys` does).
 */
export async function scheduleFingerprint(db: Db): Promise<string> {
  const row = await liveKeys(db, { all: true })
    .select([
      sql<string>`count(*)::text`.as("count"),
      sql<
        string | null
      >`sum(('x' || left(md5(json_build_array(hsm, name, created_at, expires_at, policy)::text), 15))::bit(60)::bigint)::text`.as(
        "sum",
      ),
    ])
    .executeTakeFirstOrThrow();
  return `${row.count}:${row.sum ?? 0}`;
}

export function liveKeys(db: Db, visibility: Visibility): KeyQuery {
  return visible(db.selectFrom("inventory_key").where("deleted_at", "is", null), visibility);
}

export async function searchKeys(
  db: Db,
  filters: KeyFilters,
  visibility: Visibility,
  now: number = Date.now(),
): Promise<{ items: InventoryKey[]; total: number }> {
  const base = filtered(liveKeys(db, visibility), filters, now);
  const [rows, count] = await Promise.all([
    sorted(base.select(LIST_COLUMNS), filters)
      .limit(filters.pageSize)
      .offset((filters.page - 1) * filters.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toKey), total: Number(count.total) };
}

export async function exportKeys(
  db: Db,
  filters: KeyFilters,
  visibility: Visibility,
  now: number = Date.now(),
): Promise<InventoryKey[]> {
  const rows = await sorted(
    filtered(liveKeys(db, visibility), filters, now).select(LIST_COLUMNS),
    filters,
  )
    .limit(EXPORT_LIMIT)
    .execute();
  return rows.map(toKey);
}

export async function getMirroredKey(
  db: Db,
  hsm: string,
  name: string,
  visibility: Visibility,
): Promise<InventoryKeyDetail | undefined> {
  const row = await visible(db.selectFrom("inventory_key"), visibility)
    .selectAll()
    .where("hsm", "=", hsm)
    .where("name_lower", "=", name.toLowerCase())
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toKey(row),
    keyOps: JSON.parse(row.key_ops) as string[],
    exportable: row.exportable === 1,
    managed: row.managed === 1,
    recoveryLevel: row.recovery_level,
    policy: row.policy ? (JSON.parse(row.policy) as RotationPolicyInfo) : null,
    detailSyncedAt: row.detail_synced_at,
    recoveryId: row.recovery_id,
  };
}

export async function deletedKeys(
  db: Db,
  visibility: Visibility,
  hsm?: string,
): Promise<InventoryKey[]> {
  let query = visible(
    db.selectFrom("inventory_key").where("deleted_at", "is not", null),
    visibility,
  );
  if (hsm) query = query.where("hsm", "=", hsm);
  const rows = await query
    .select(LIST_COLUMNS)
    .orderBy("scheduled_purge_at", (ob) => ob.asc().nullsLast())
    .orderBy("name_lower")
    .limit(5_000)
    .execute();
  return rows.map(toKey);
}

/**
 * For each of `names` the mirror holds in `hsm`, whether it is live or soft-deleted (keyed by the
 * lower-case name); a name the mirror does not hold is gone from the HSM (purged, or never there).
 * One query for a whole backup catalogue.
 */
export async function keyPresence(
  db: Db,
  hsm: string,
  names: readonly string[],
): Promise<Map<string, "live" | "deleted">> {
  if (names.length === 0) return new Map();
  const rows = await db
    .selectFrom("inventory_key")
    .select(["name_lower", "deleted_at"])
    .where("hsm", "=", hsm)
    .where(
      "name_lower",
      "in",
      names.map((name) => name.toLowerCase()),
    )
    .execute();
  return new Map(rows.map((row) => [row.name_lower, row.deleted_at === null ? "live" : "deleted"]));
}
