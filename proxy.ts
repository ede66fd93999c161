import { NextResponse, type NextRequest } from "next/server";

import { getEnv, isDevelopmentServer } from "@/lib/env";
import {
  contentSecurityPolicy,
  HSTS_HEADER,
  nonce as newNonce,
  STATIC_SECURITY_HEADERS,
} from "@/lib/http/security-headers";

/*
 * Runs before every page and API request: a fresh CSP nonce (read by the root layout through
 * the x-nonce request header) and the security headers. Authorisation is not decided here;
 * it happens in layouts and in withRoute, on the server, for every request.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = new URL(getEnv().publicUrl).protocol === "https:";
  const csp = contentSecurityPolicy({ nonce, development: isDevelopmentServer(), https });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  if (https) response.headers.set(HSTS_HEADER.key, HSTS_HEADER.value);
  return response;
}

export const config = {
  // Static assets get their headers from next.config.ts; they need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
