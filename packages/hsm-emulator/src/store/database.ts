import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/*
 * The emulator's state: one SQLite database for all its HSMs (a file under the data directory,
 * or in memory for tests). Key material never reaches it in the clear: it is sealed with the
 * instance's master key, kept in a separate file next to the database.
 */

export type EmulatorDb = Database.Database;

const SCHEMA = `
create table if not exists security_domain (name text primary key, sealed_key text not null);
create table if not exists hsm (name text primary key, security_domain text not null, created integer not null);
create table if not exists key (
  hsm text not null, name_lower text not null, name text not null,
  rotation_policy text, deleted_date integer, scheduled_purge_date integer,
  primary key (hsm, name_lower));
create table if not exists key_version (
  hsm text not null, name_lower text not null, version text not null, seq integer not null,
  kty text not null, key_ops text not null, created integer not null, updated integer not null,
  enabled integer not null, nbf integer, exp integer, exportable integer not null,
  tags text not null, release_policy text, public_jwk text not null, material text not null,
  primary key (hsm, name_lower, version));
create index if not exists key_version_latest on key_version (hsm, name_lower, seq);
create table if not exists role_definition (hsm text not null, name text not null, properties text not null, primary key (hsm, name));
create table if not exists role_assignment (
  hsm text not null, name text not null, scope text not null, role_definition_id text not null,
  principal_id text not null, created integer not null, primary key (hsm, name));
create table if not exists setting (hsm text not null, name text not null, value text not null, primary key (hsm, name));
create table if not exists job (
  hsm text not null, job_id text not null, kind text not null, status text not null, status_details text,
  error text, start_time integer not null, end_time integer, container_uri text, primary key (hsm, job_id));
create table if not exists audit (
  id integer primary key autoincrement, time integer not null, hsm text not null, request_id text not null,
  caller text, operation text not null, key_name text, status integer not null, outcome text not null);
`;

/** Bumped when what the store holds can no longer be read by this code (e.g. how material is sealed). */
const STORE_FORMAT = 1;

export interface OpenedStore {
  db: EmulatorDb;
  masterKey: Buffer;
}

function readOrCreateMasterKey(dataDir: string): Buffer {
  const file = path.join(dataDir, "emulator-master.key");
  if (!fs.existsSync(file))
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  const key = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) throw new Error(`${file} must hold 32 bytes in base64`);
  return key;
}

/** Refuses a store written in another format, rather than failing later on its sealed data. */
function assertReadableFormat(db: EmulatorDb, dataDir: string | null): void {
  const format = db.pragma("user_version", { simple: true }) as number;
  const hasData = db
    .prepare("select 1 from sqlite_master where type = 'table' and name = 'hsm'")
    .get();
  if (format === STORE_FORMAT || (format === 0 && !hasData)) return;
  db.close();
  throw new Error(
    `${dataDir ?? "the store"} holds emulator data in format ${format}; this emulator reads format ${STORE_FORMAT}. Delete that directory to start with empty HSMs (the Keyward demo seeds them again).`,
  );
}

export function openStore(dataDir: string | null): OpenedStore {
  let db: EmulatorDb;
  let masterKey: Buffer;
  if (dataDir === null) {
    db = new Database(":memory:");
    masterKey = randomBytes(32);
  } else {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(path.join(dataDir, "emulator.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    masterKey = readOrCreateMasterKey(dataDir);
  }
  db.pragma("busy_timeout = 5000");
  assertReadableFormat(db, dataDir);
  db.exec(SCHEMA);
  db.pragma(`user_version = ${STORE_FORMAT}`);
  return { db, masterKey };
}
