import { afterEach, describe, expect, it } from "vitest";

import {
  createSession,
  deleteUserSession,
  hashSessionToken,
  listUserSessions,
  pruneSessions,
  resolveSession,
  type NewSession,
} from "@/lib/auth/sessions";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";

const POLICY = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000 };
const T0 = Date.UTC(2026, 10, 29, 8);
const MINUTE = 60_000;

const input = (userOid = "user-1"): NewSession => ({
  userOid,
  tenantId: "tenant-1",
  displayName: "Kim Keyadmin",
  username: "keyadmin@keyward.test",
  roles: ["Keyward.KeyAdmin"],
  groups: ["g1", "g2"],
  authTime: null,
  userAgent: "Mozilla/5.0 Chrome/156",
  sealedTokenCache: "v1.sealed",
});

describe.each(availableDialects())("sessions on %s", (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });
  const open = async () => {
    database = await createTestDatabase(dialect);
    return database.openMigrated();
  };

  it("stores only the hash of the cookie token", async () => {
    const db = await open();
    const { token, session } = await createSession(db, input(), POLICY, T0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.selectFrom("session").selectAll().executeTakeFirstOrThrow();
    expect(row.id).toBe(hashSessionToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(session).toMatchObject({
      roles: ["Keyward.KeyAdmin"],
      groups: ["g1", "g2"],
      expiresAt: T0 + POLICY.maxMs,
    });
  });

  it("ends a session after the idle timeout, and records activity no more than once a minute", async () => {
    const db = await open();
    const { token } = await createSession(db, input(), POLICY, T0);
    expect((await resolveSession(db, token, POLICY, T0 + 30 * 1000))?.lastSeenAt).toBe(T0);
    expect((await resolveSession(db, token, POLICY, T0 + 20 * MINUTE))?.lastSeenAt).toBe(
      T0 + 20 * MINUTE,
    );
    expect(await resolveSession(db, token, POLICY, T0 + 49 * MINUTE)).not.toBeNull();
    expect(await resolveSession(db, token, POLICY, T0 + 49 * MINUTE + 30 * MINUTE)).toBeNull();
    expect(await db.selectFrom("session").selectAll().execute()).toEqual([]);
  });

  it("ends a session at its absolute lifetime however active it is", async () => {
    const db = await open();
    const { token } = await createSession(db, input(), POLICY, T0);
    for (let at = T0; at < T0 + POLICY.maxMs; at += 20 * MINUTE)
      expect(await resolveSession(db, token, POLICY, at)).not.toBeNull();
    expect(await resolveSession(db, token, POLICY, T0 + POLICY.maxMs)).toBeNull();
  });

  it.each(["", "short", "x".repeat(43), "A".repeat(42) + "!"])(
    "rejects the token %j",
    async (token) => {
      const db = await open();
      await createSession(db, input(), POLICY, T0);
      expect(await resolveSession(db, token, POLICY, T0)).toBeNull();
    },
  );

  it("lists and ends only the user's own sessions", async () => {
    const db = await open();
    const mine = await createSession(db, input("user-1"), POLICY, T0);
    await createSession(db, input("user-1"), POLICY, T0 + MINUTE);
    const theirs = await createSession(db, input("user-2"), POLICY, T0);
    const listed = await listUserSessions(db, "user-1", "tenant-1", POLICY, T0 + 2 * MINUTE);
    expect(listed).toHaveLength(2);
    expect(await deleteUserSession(db, "user-1", "tenant-1", theirs.session.publicId)).toBe(false);
    expect(await deleteUserSession(db, "user-1", "tenant-1", mine.session.publicId)).toBe(true);
    expect(await resolveSession(db, mine.token, POLICY, T0 + 2 * MINUTE)).toBeNull();
    expect(await resolveSession(db, theirs.token, POLICY, T0 + 2 * MINUTE)).not.toBeNull();
  });

  it("prunes ended sessions and keeps live ones", async () => {
    const db = await open();
    await createSession(db, input("idle"), POLICY, T0);
    const live = await createSession(db, input("live"), POLICY, T0 + 40 * MINUTE);
    expect(await pruneSessions(db, POLICY, T0 + 45 * MINUTE)).toBe(1);
    expect(await resolveSession(db, live.token, POLICY, T0 + 45 * MINUTE)).not.toBeNull();
  });
});
