import "server-only";

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";

import type { Db } from "@/lib/db/client";

/*
 * Personal calendar feeds. The URL carries a random 256-bit token; the database keeps only its
 * SHA-256, with the owner's roles and groups so that the feed shows what the owner can see. A
 * calendar client never signs in, so the owner's sign-ins keep the feed honest: each one brings
 * the owner's feeds up to their roles and groups of that moment (a role taken away in Entra is
 * gone from the feed at the next sign-in), and a feed whose owner has not signed in for
 * FEED_OWNER_ABSENCE_MS stops answering (they left, or lost access to the portal). Revoking is
 * immediate; a feed whose owner lost every portal role shows nothing.
 */

export const FEED_OWNER_ABSENCE_MS = 90 * 86_400_000;

export interface CalendarFeed {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface FeedOwner {
  id: string;
  ownerOid: string;
  ownerName: string;
  roles: string[];
  groups: string[];
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const list = z.array(z.string());

export async function createFeed(
  db: Db,
  owner: { oid: string; name: string; roles: readonly string[]; groups: readonly string[] },
  /** The feed's own name, already validated by `feedNameSchema`. */
  name: string,
  now = Date.now(),
): Promise<{ id: string; name: string; token: string }> {
  const token = randomBytes(32).toString("base64url");
  const id = randomUUID();
  await db
    .insertInto("calendar_feed")
    .values({
      id,
      token_hash: hashToken(token),
      owner_oid: owner.oid,
      owner_name: owner.name,
      name,
      roles: JSON.stringify(owner.roles),
      groups: JSON.stringify(owner.groups),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
      owner_signed_in_at: now,
    })
    .execute();
  return { id, name, token };
}

export async function feedsOf(db: Db, ownerOid: string): Promise<CalendarFeed[]> {
  const rows = await db
    .selectFrom("calendar_feed")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("owner_oid", "=", ownerOid)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Revokes one of the owner's feeds; false when there is no such live feed of theirs. */
export async function revokeFeed(
  db: Db,
  ownerOid: string,
  id: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .updateTable("calendar_feed")
    .set({ revoked_at: now })
    .where("id", "=", id)
    .where("owner_oid", "=", ownerOid)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The live feed a token opens, marking it used; null for unknown or revoked tokens, and for a
 * feed whose owner has not signed in for FEED_OWNER_ABSENCE_MS.
 */
export async function openFeed(db: Db, token: string, now = Date.now()): Promise<FeedOwner | null> {
  const row = await db
    .selectFrom("calendar_feed")
    .selectAll()
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .where("owner_signed_in_at", ">", now - FEED_OWNER_ABSENCE_MS)
    .executeTakeFirst();
  if (!row) return null;
  await db
    .updateTable("calendar_feed")
    .set({ last_used_at: now })
    .where("id", "=", row.id)
    .execute();
  return {
    id: row.id,
    ownerOid: row.owner_oid,
    ownerName: row.owner_name,
    roles: list.parse(JSON.parse(row.roles)),
    groups: list.parse(JSON.parse(row.groups)),
  };
}

/** At the owner's sign-in: their live feeds show what they can see now, and live on. */
export async function refreshOwnerFeeds(
  db: Db,
  owner: { oid: string; roles: readonly string[]; groups: readonly string[] },
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable("calendar_feed")
    .set({
      roles: JSON.stringify(owner.roles),
      groups: JSON.stringify(owner.groups),
      owner_signed_in_at: now,
    })
    .where("owner_oid", "=", owner.oid)
    .where("revoked_at", "is", null)
    .execute();
}
