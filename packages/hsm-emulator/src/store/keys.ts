import type { EmulatorDb } from "./database";

/*
 * Keys and their versions. A key is addressed by its lower-cased name (names are
 * case-insensitive) and keeps the spelling it was created with. Soft-deleting marks the key row;
 * its versions stay until it is purged or recovered.
 */

export interface KeyRow {
  hsm: string;
  name_lower: string;
  name: string;
  rotation_policy: string | null;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
}

export interface VersionRow {
  hsm: string;
  name_lower: string;
  version: string;
  seq: number;
  kty: string;
  key_ops: string;
  created: number;
  updated: number;
  enabled: number;
  nbf: number | null;
  exp: number | null;
  exportable: number;
  tags: string;
  release_policy: string | null;
  public_jwk: string;
  material: string;
}

export function findKey(db: EmulatorDb, hsm: string, name: string): KeyRow | undefined {
  return db
    .prepare("select * from key where hsm = ? and name_lower = ?")
    .get(hsm, name.toLowerCase()) as KeyRow | undefined;
}

export function latestVersion(db: EmulatorDb, hsm: string, name: string): VersionRow | undefined {
  return db
    .prepare("select * from key_version where hsm = ? and name_lower = ? order by seq desc limit 1")
    .get(hsm, name.toLowerCase()) as VersionRow | undefined;
}

export function findVersion(
  db: EmulatorDb,
  hsm: string,
  name: string,
  version: string,
): VersionRow | undefined {
  return db
    .prepare("select * from key_version where hsm = ? and name_lower = ? and version = ?")
    .get(hsm, name.toLowerCase(), version.toLowerCase()) as VersionRow | undefined;
}

export function allVersions(db: EmulatorDb, hsm: string, name: string): VersionRow[] {
  return db
    .prepare("select * from key_version where hsm = ? and name_lower = ? order by seq")
    .all(hsm, name.toLowerCase()) as VersionRow[];
}

export function countVersions(db: EmulatorDb, hsm: string, name: string): number {
  return (
    db
      .prepare("select count(*) as n from key_version where hsm = ? and name_lower = ?")
      .get(hsm, name.toLowerCase()) as { n: number }
  ).n;
}

/** Keys of the HSM, soft-deleted ones included (they count against the limit). */
export function countKeys(db: EmulatorDb, hsm: string): number {
  return (db.prepare("select count(*) as n from key where hsm = ?").get(hsm) as { n: number }).n;
}

/** One page of the live keys' latest versions, in name order. */
/** Keys in name order after `afterName` (lower case), latest version each; one row more than `limit`. */
export function pageKeys(
  db: EmulatorDb,
  hsm: string,
  deleted: boolean,
  afterName: string | null,
  limit: number,
) {
  return db
    .prepare(
      `select k.name, k.deleted_date, k.scheduled_purge_date, v.* from key k
       join key_version v on v.hsm = k.hsm and v.name_lower = k.name_lower
        and v.seq = (select max(seq) from key_version x where x.hsm = k.hsm and x.name_lower = k.name_lower)
       where k.hsm = ? and (k.deleted_date is not null) = ? and k.name_lower > ?
       order by k.name_lower limit ?`,
    )
    .all(hsm, deleted ? 1 : 0, afterName ?? "", limit + 1) as (VersionRow &
    Pick<KeyRow, "name" | "deleted_date" | "scheduled_purge_date">)[];
}

/** Versions in creation order after sequence number `afterSeq`; one row more than `limit`. */
export function pageVersions(
  db: EmulatorDb,
  hsm: string,
  name: string,
  afterSeq: number,
  limit: number,
): VersionRow[] {
  return db
    .prepare(
      "select * from key_version where hsm = ? and name_lower = ? and seq > ? order by seq limit ?",
    )
    .all(hsm, name.toLowerCase(), afterSeq, limit + 1) as VersionRow[];
}

export function insertKey(db: EmulatorDb, hsm: string, name: string): void {
  db.prepare("insert into key (hsm, name_lower, name) values (?, ?, ?)").run(
    hsm,
    name.toLowerCase(),
    name,
  );
}

export function insertVersion(db: EmulatorDb, row: Omit<VersionRow, "seq">): void {
  db.prepare(
    `insert into key_version (hsm, name_lower, version, seq, kty, key_ops, created, updated, enabled, nbf, exp,
       exportable, tags, release_policy, public_jwk, material)
     values (@hsm, @name_lower, @version,
       coalesce((select max(seq) from key_version where hsm = @hsm and name_lower = @name_lower), 0) + 1,
       @kty, @key_ops, @created, @updated, @enabled, @nbf, @exp, @exportable, @tags, @release_policy, @public_jwk, @material)`,
  ).run(row);
}

export function updateVersion(db: EmulatorDb, row: VersionRow): void {
  db.prepare(
    `update key_version set key_ops = @key_ops, updated = @updated, enabled = @enabled, nbf = @nbf, exp = @exp,
       exportable = @exportable, tags = @tags, release_policy = @release_policy
     where hsm = @hsm and name_lower = @name_lower and version = @version`,
  ).run(row);
}

export function setDeleted(
  db: EmulatorDb,
  hsm: string,
  name: string,
  deletedDate: number | null,
  purgeDate: number | null,
): void {
  db.prepare(
    "update key set deleted_date = ?, scheduled_purge_date = ? where hsm = ? and name_lower = ?",
  ).run(deletedDate, purgeDate, hsm, name.toLowerCase());
}

export function deleteKeyCompletely(db: EmulatorDb, hsm: string, name: string): void {
  db.prepare("delete from key_version where hsm = ? and name_lower = ?").run(
    hsm,
    name.toLowerCase(),
  );
  db.prepare("delete from key where hsm = ? and name_lower = ?").run(hsm, name.toLowerCase());
}

export function setRotationPolicy(
  db: EmulatorDb,
  hsm: string,
  name: string,
  policy: string | null,
): void {
  db.prepare("update key set rotation_policy = ? where hsm = ? and name_lower = ?").run(
    policy,
    hsm,
    name.toLowerCase(),
  );
}

/** Live keys that have a rotation policy, for the automatic-rotation sweep. */
export function keysWithPolicies(db: EmulatorDb, hsm: string): KeyRow[] {
  return db
    .prepare(
      "select * from key where hsm = ? and deleted_date is null and rotation_policy is not null",
    )
    .all(hsm) as KeyRow[];
}

/** Soft-deleted keys whose scheduled purge date has passed. */
export function keysDueForPurge(db: EmulatorDb, hsm: string, nowSeconds: number): KeyRow[] {
  return db
    .prepare(
      "select * from key where hsm = ? and deleted_date is not null and scheduled_purge_date <= ?",
    )
    .all(hsm, nowSeconds) as KeyRow[];
}
