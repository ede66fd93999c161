import "server-only";

import { getAuthConfig } from "@/lib/auth/config";
import { PERMISSIONS, permissionsOf, PORTAL_ROLES, portalRoles } from "@/lib/auth/permissions";
import { listUserSessions, type PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";

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
