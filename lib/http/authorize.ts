import "server-only";

import {
  hasPermission,
  PERMISSIONS,
  PORTAL_ROLES,
  portalRoles,
  type Permission,
} from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";

/**
 * Who may call a route; every route states it.
 * - "public": anyone (the session is still resolved when a cookie is present);
 * - "session": any signed-in user, even one without a portal role (signing out);
 * - a permission from lib/auth/permissions.ts, optionally demanding a sign-in no older than
 *   `recentSignInMinutes` (for decisions such as approving a change).
 */
export type RouteAccess =
  "public" | "session" | { permission: Permission; recentSignInMinutes?: number };

export type SessionFor<A extends RouteAccess> = A extends "public"
  ? PortalSession | null
  : PortalSession;

function describeRoles(roles: readonly string[]): string {
  const held = portalRoles(roles).map((role) => PORTAL_ROLES[role].label);
  return held.length > 0
    ? `your roles (${held.join(", ")}) do not grant it`
    : "you hold no Keyward role";
}

/** The access decision itself: pure, so every rule is table-tested. Throws the AppError to answer. */
export function checkAccess<A extends RouteAccess>(
  session: PortalSession | null,
  access: A,
  now = Date.now(),
): SessionFor<A> {
  if (access === "public") return session as SessionFor<A>;
  if (!session) throw new AppError("unauthenticated", "Sign in to use this API.");
  if (access === "session") return session;

  const { permission, recentSignInMinutes } = access;
  if (!hasPermission(session.roles, permission))
    throw new AppError(
      "forbidden",
      `This needs the permission "${permission}" (${PERMISSIONS[permission]}), and ${describeRoles(session.roles)}.`,
    );
  if (recentSignInMinutes !== undefined) {
    const fresh =
      session.authTime !== null && now - session.authTime <= recentSignInMinutes * 60_000;
    if (!fresh)
      throw new AppError(
        "reauthentication_required",
        `This needs a sign-in from the last ${recentSignInMinutes} minutes. Sign in again, then retry.`,
        { extensions: { signInUrl: "/api/auth/sign-in?reauth=1" } },
      );
  }
  return session;
}
