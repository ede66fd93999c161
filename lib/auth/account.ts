import "server-only";

import { auditedTransaction, recordInTransaction } from "@/lib/audit/service";
import { userActor, type AuditContext } from "@/lib/audit/types";
import { getAuthConfig } from "@/lib/auth/config";
import { getMsal } from "@/lib/auth/msal";
import { PERMISSIONS, permissionsOf, PORTAL_ROLES, portalRoles } from "@/lib/auth/permissions";
import { endSessionUrl } from "@/lib/auth/session-tokens";
import {
  deleteSession,
  deleteUserSession,
  listUserSessions,
  type PortalSession,
} from "@/lib/auth/sessions";
import { completeSignIn, type CallbackInput } from "@/lib/auth/sign-in";
import { refreshOwnerFeeds } from "@/lib/calendar/feeds";
import { getDb } from "@/lib/db/client";

/*
 * A person's own account: what they may know about it, their sessions, signing in and out.
 */

/** What a signed-in user may know about their own account: the body of GET /api/me. */
export function describeAccount(session: PortalSession) {
  return {
    user: {
      oid: session.userOid,
      tenantId: session.tenantId,
      name: session.displayName,
      username: session.username,
      groups: session.groups,
    },
    roles: portalRoles(session.roles).map((role) => ({ value: role, ...PORTAL_ROLES[role] })),
    permissions: [...permissionsOf(session.roles)].map((name) => ({
      name,
      description: PERMISSIONS[name],
    })),
    session: describeSession(session, session.id),
  };
}

export function describeSession(session: PortalSession, currentId: string) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: session.publicId,
    current: session.id === currentId,
    signedInAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    endsAt: iso(Math.min(session.expiresAt, session.idleExpiresAt)),
    expiresAt: iso(session.expiresAt),
    authenticatedAt: iso(session.authTime),
    userAgent: session.userAgent,
  };
}

export type SessionSummary = ReturnType<typeof describeSession>;

export async function listOwnSessions(session: PortalSession): Promise<SessionSummary[]> {
  const sessions = await listUserSessions(
    await getDb(),
    session.userOid,
    session.tenantId,
    getAuthConfig().session,
  );
  return sessions.map((s) => describeSession(s, session.id));
}

/** Ends one of the user's own sessions (this browser's or another's); false when there is none. */
export async function endOwnSession(
  session: PortalSession,
  publicId: string,
  audit: AuditContext,
): Promise<boolean> {
  return auditedTransaction(
    audit,
    (trx) => deleteUserSession(trx, session.userOid, session.tenantId, publicId),
    (ended) =>
      ended
        ? { target: { session: publicId }, detail: { current: publicId === session.publicId } }
        : null,
  );
}

/**
 * Finishes a sign-in at the redirect URI (see completeSignIn). A new sign-in replaces whatever
 * session this browser had, so a session id planted before sign-in is worth nothing after it.
 */
export async function finishSignIn(
  input: CallbackInput,
  previous: PortalSession | null,
  audit: AuditContext,
) {
  return completeSignIn(getMsal(), getAuthConfig(), await getDb(), input, {
    inSessionTransaction: async (trx, session) => {
      if (previous) await deleteSession(trx, previous.id);
      await refreshOwnerFeeds(trx, {
        oid: session.userOid,
        roles: session.roles,
        groups: session.groups,
      });
      await recordInTransaction(
        trx,
        { ...audit, actor: userActor(session) },
        {
          target: { session: session.publicId },
          detail: {
            roles: session.roles,
            reauthenticated: session.authTime !== null,
            replacedSession: previous?.publicId ?? null,
          },
        },
      );
    },
  });
}

/**
 * Ends the session here, and returns where the identity provider ends its own (null when it has
 * no end-session endpoint or cannot be reached: the user is still signed out of the portal).
 */
export async function signOut(
  session: PortalSession,
  audit: AuditContext,
  onProviderUnreachable: (error: unknown) => void,
): Promise<string | null> {
  const db = await getDb();
  const providerLogout = await endSessionUrl(getMsal(), getAuthConfig(), db, session).catch(
    (error: unknown) => {
      onProviderUnreachable(error);
      return null;
    },
  );
  await auditedTransaction(
    audit,
    (trx) => deleteSession(trx, session.id),
    () => ({ target: { session: session.publicId } }),
    db,
  );
  return providerLogout;
}
