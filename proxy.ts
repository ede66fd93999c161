import { NextResponse, type NextRequest } from "next/server";

import { PATH_HEADER, SESSION_COOKIE } from "@/lib/auth/constants";
import { getEnv, isDevelopmentServer, signInOrigin } from "@/lib/env";
import { isHttpMethod } from "@/lib/http/allowed-methods";
import { hasMalformedPercentEncoding } from "@/lib/http/percent-encoding";
import { malformedPathAnswer, unknownMethodAnswer } from "@/lib/http/proxy-answers";
import {
  contentSecurityPolicy,
  HSTS_HEADER,
  nonce as newNonce,
  setApiAnswerHeaders,
  STATIC_SECURITY_HEADERS,
} from "@/lib/http/security-headers";

/** Pages anyone may open; every other page needs a session (checked for real in the layout). */
const PUBLIC_PAGES = new Set(["/sign-in", "/signed-out"]);

/*
 * Runs before every page and API request: for a page, a fresh CSP nonce (read by the root layout
 * through the x-nonce request header), the security headers, and an optimistic redirect to
 * sign-in when it is requested without a session cookie; for an API request, a fixed policy. Authorisation is not decided here: the portal
 * layout, every page and withRoute check the session and permissions on the server.
 * A path Next cannot decode into route parameters (400) and an API method no route module can
 * serve (501) are answered here: Next would fail on them before any page or withRoute runs.
 */
export function proxy(request: NextRequest) {
  const env = getEnv();
  const { pathname, search } = request.nextUrl;
  if (hasMalformedPercentEncoding(pathname))
    return withHeaders(malformedPathAnswer(request), env.publicUrl);
  const isPage = !pathname.startsWith("/api/");
  if (!isPage && !isHttpMethod(request.method))
    return withHeaders(unknownMethodAnswer(request), env.publicUrl);
  // An API answer is data, never a document that runs scripts: it needs no nonce, and leaving
  // the request's headers as they are spares Next copying and rewriting them on every call.
  if (!isPage) {
    const response = NextResponse.next();
    setApiAnswerHeaders(response.headers, env.publicUrl);
    return withHeaders(response, env.publicUrl);
  }
  if (!PUBLIC_PAGES.has(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    const signIn = new URL("/sign-in", env.publicUrl);
    signIn.searchParams.set("returnTo", `${pathname}${search}`);
    return withHeaders(NextResponse.redirect(signIn, 307), env.publicUrl);
  }

  const nonce = newNonce();
  const https = env.publicUrl.startsWith("https:");
  const csp = contentSecurityPolicy({
    nonce,
    development: isDevelopmentServer(),
    https,
    formTargets: [signInOrigin(env)],
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set(PATH_HEADER, `${pathname}${search}`);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return withHeaders(response, env.publicUrl);
}

function withHeaders<R extends Response>(response: R, publicUrl: string): R {
  for (const { key, value } of STATIC_SECURITY_HEADERS) response.headers.set(key, value);
  if (publicUrl.startsWith("https:")) response.headers.set(HSTS_HEADER.key, HSTS_HEADER.value);
  return response;
}

export const config = {
  /*
   * Static assets get their headers from next.config.ts; they need no nonce. Nor does the
   * liveness probe, which orchestrators call every few seconds: it takes no input, and withRoute
   * gives its answer the API headers, so it skips the proxy's fixed cost (with it, 0.42 of a bare
   * handler's requests per second in bench:portal; without it, 0.58). Its one loss: a method no route knows gets Next's empty 400
   * there, not the 501 problem+json. Each exclusion is a whole path, not a prefix.
   */
  matcher: [
    "/((?!(?:_next/static|_next/image)/|(?:favicon\\.ico|icon\\.svg|apple-touch-icon\\.png|openapi\\.json|bench-bare|api/health)$).*)",
  ],
};
