import "server-only";

import { cache } from "react";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";

import { getAuthConfig } from "@/lib/auth/config";
import { PATH_HEADER, SESSION_COOKIE } from "@/lib/auth/constants";
import { hasPermission, type Permission } from "@/lib/auth/permissions";
import { resolveSession, type PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";

export async function sessionFromToken(token: string | undefined): Promise<PortalSession | null> {
  if (!token) return null;
  return resolveSession(await getDb(), token, getAuthConfig().session);
}

/** The signed-in session of the current request (looked up once per request). */
export const getCurrentSession = cache(async (): Promise<PortalSession | null> =>
  sessionFromToken((await cookies()).get(SESSION_COOKIE)?.value),
);

/** Pages: the session, or a redirect to sign-in that comes back here. */
export async function requireSession(): Promise<PortalSession> {
  const session = await getCurrentSession();
  if (session) return session;
  const hadCookie = (await cookies()).has(SESSION_COOKIE);
  const returnTo = (await headers()).get(PATH_HEADER) ?? "/";
  redirect(
    `/sign-in?returnTo=${encodeURIComponent(returnTo)}${hadCookie ? "&error=session-ended" : ""}`,
  );
}

/** Pages: the session if it holds the permission; otherwise the 403 page. */
export async function requirePermission(permission: Permission): Promise<PortalSession> {
  const session = await requireSession();
  if (!hasPermission(session.roles, permission)) forbidden();
  return session;
}
