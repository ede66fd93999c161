import "server-only";

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";

import type { Db } from "@/lib/db/client";
import type { SessionTable } from "@/lib/db/schema/session/table";

/*
 * Server-side sessions. The cookie carries 256 random bits; the database keeps only their
 * SHA-256. A session ends after `idleMs` without a request or `maxMs` after sign-in, whichever
 * comes first; an ended session is deleted when it is next looked up, or by pruning.
 */

/** Activity is recorded at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface PortalSession {
  /** The row's key (hash of the cookie token): server-side only, never sent to a browser. */
  id: string;
  publicId: string;
  userOid: string;
  tenantId: string;
  displayName: string;
  username: string;
  roles: string[];
  groups: string[];
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  idleExpiresAt: number;
  authTime: number | null;
  userAgent: string;
}

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

const stringArray = z.array(z.string());

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Every column a session is made of: not the sealed token cache, kilobytes that only the
 * calls to the HSM on the user's behalf read, and every request would otherwise fetch.
 */
const SESSION_COLUMNS = [
  "id",
  "public_id",
  "user_oid",
  "tenant_id",
  "display_name",
  "username",
  "roles",
  "groups",
  "created_at",
  "last_seen_at",
  "expires_at",
  "auth_time",
  "user_agent",
] as const satisfies readonly (keyof SessionTable)[];

type SessionRow = Pick<SessionTable, (typeof SESSION_COLUMNS)[number]>;

function toSession(row: SessionRow, policy: SessionPolicy): PortalSession {
  return {
    id: row.id,
    publicId: row.public_id,
    userOid: row.user_oid,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    username: row.username,
    roles: stringArray.parse(JSON.parse(row.roles)),
    groups: stringArray.parse(JSON.parse(row.groups)),
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    idleExpiresAt: Math.min(row.last_seen_at + policy.idleMs, row.expires_at),
    authTime: row.auth_time,
    userAgent: row.user_agent,
  };
}

export interface NewSession {
  userOid: string;
  tenantId: string;
  displayName: string;
  username: string;
  roles: string[];
  groups: string[];
  authTime: number | null;
  userAgent: string;
  sealedTokenCache: string;
}

/** Creates a session and returns the cookie token, the only copy of which goes to the browser. */
export async function createSession(
  db: Db,
  input: NewSession,
  policy: SessionPolicy,
  now = Date.now(),
) {
  const token = randomBytes(32).toString("base64url");
  const row: SessionTable = {
    id: hashSessionToken(token),
    public_id: randomUUID(),
    user_oid: input.userOid,
    tenant_id: input.tenantId,
    display_name: input.displayName,
    username: input.username,
    roles: JSON.stringify(input.roles),
    groups: JSON.stringify(input.groups),
    created_at: now,
    last_seen_at: now,
    expires_at: now + policy.maxMs,
    auth_time: input.authTime,
    user_agent: input.userAgent.slice(0, 256),
    token_cache: input.sealedTokenCache,
    mutation_window_start: 0,
    mutation_count: 0,
  };
  await db.insertInto("session").values(row).execute();
  return { token, session: toSession(row, policy) };
}

/**
 * The live session for a cookie token, or null. Ended sessions are deleted on sight; activity
 * is recorded, which moves the idle deadline.
 */
export async function resolveSession(
  db: Db,
  token: string,
  policy: SessionPolicy,
  now = Date.now(),
) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = hashSessionToken(token);
  const row = await db
    .selectFrom("session")
    .select(SESSION_COLUMNS)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= now || row.last_seen_at + policy.idleMs <= now) {
    await db.deleteFrom("session").where("id", "=", id).execute();
    return null;
  }
  if (now - row.last_seen_at >= TOUCH_INTERVAL_MS) {
    await db.updateTable("session").set({ last_seen_at: now }).where("id", "=", id).execute();
    row.last_seen_at = now;
  }
  return toSession(row, policy);
}

export async function readSealedTokenCache(db: Db, sessionId: string): Promise<string | null> {
  const row = await db
    .selectFrom("session")
    .select("token_cache")
    .where("id", "=", sessionId)
    .executeTakeFirst();
  return row?.token_cache ?? null;
}

export async function saveSealedTokenCache(
  db: Db,
  sessionId: string,
  sealed: string,
): Promise<void> {
  await db
    .updateTable("session")
    .set({ token_cache: sealed })
    .where("id", "=", sessionId)
    .execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("session").where("id", "=", sessionId).execute();
}

/** The user's live sessions, newest activity first. */
export async function listUserSessions(
  db: Db,
  userOid: string,
  tenantId: string,
  policy: SessionPolicy,
  now = Date.now(),
) {
  const rows = await db
    .selectFrom("session")
    .select(SESSION_COLUMNS)
    .where("user_oid", "=", userOid)
    .where("tenant_id", "=", tenantId)
    .where("expires_at", ">", now)
    .where("last_seen_at", ">", now - policy.idleMs)
    .orderBy("last_seen_at", "desc")
    .execute();
  return rows.map((row) => toSession(row, policy));
}

/** Ends one of the user's own sessions; false when no such session of theirs exists. */
export async function deleteUserSession(
  db: Db,
  userOid: string,
  tenantId: string,
  publicId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("session")
    .where("public_id", "=", publicId)
    .where("user_oid", "=", userOid)
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes every ended session; returns how many. */
export async function pruneSessions(
  db: Db,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<number> {
  const result = await db
    .deleteFrom("session")
    .where((eb) =>
      eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", now - policy.idleMs)]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
