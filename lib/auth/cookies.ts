import "server-only";

import type { NextResponse } from "next/server";

import { getAuthConfig } from "@/lib/auth/config";
import { SESSION_COOKIE, SIGN_IN_COOKIE } from "@/lib/auth/constants";
import { SIGN_IN_TTL_MS } from "@/lib/auth/sign-in";

/*
 * The portal's only cookies. `__Host-` names make browsers insist on Secure, Path=/ and no
 * Domain; HttpOnly keeps them from scripts; SameSite=Lax lets the identity provider's redirect
 * back to the callback carry the sign-in cookie while blocking cross-site posts.
 */
const BASE = { httpOnly: true, secure: true, sameSite: "lax", path: "/" } as const;

export function setSessionCookie(response: NextResponse, token: string) {
  response.cookies.set(SESSION_COOKIE, token, {
    ...BASE,
    maxAge: Math.floor(getAuthConfig().session.maxMs / 1000),
  });
}

export function clearSessionCookie(response: NextResponse) {
  response.cookies.set(SESSION_COOKIE, "", { ...BASE, maxAge: 0 });
}

export function setSignInCookie(response: NextResponse, value: string) {
  response.cookies.set(SIGN_IN_COOKIE, value, { ...BASE, maxAge: SIGN_IN_TTL_MS / 1000 });
}

export function clearSignInCookie(response: NextResponse) {
  response.cookies.set(SIGN_IN_COOKIE, "", { ...BASE, maxAge: 0 });
}
