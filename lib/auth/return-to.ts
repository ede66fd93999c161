const BASE = "http://portal.invalid";

/** Pages a freshly signed-in user must not land on: they would only start another sign-in. */
function isSignInFlow(pathname: string): boolean {
  return pathname.startsWith("/api/auth/") || pathname === "/sign-in" || pathname === "/signed-out";
}

/** `//%2fhost` and the like have an authority that is no valid host: not a URL at all. */
function parsePath(value: string): URL | undefined {
  try {
    return new URL(value, BASE);
  } catch {
    return undefined;
  }
}

/**
 * True when a browser following `path` as a Location stays on the portal: one slash, then
 * neither a slash nor a backslash (either makes "//host"), no encoded slash or backslash (no
 * portal path has one, and a proxy that decodes them would make "//host" again), and resolving
 * it once more changes nothing, so what was checked is what the browser follows.
 */
function staysOnPortal(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path)) return false;
  const url = parsePath(path);
  if (!url || /%(?:2f|5c)/i.test(url.pathname)) return false;
  return url.origin === BASE && `${url.pathname}${url.search}${url.hash}` === path;
}

/**
 * Where to send the browser after sign-in: only a path on this portal. Anything else (absolute
 * URLs, protocol-relative `//host`, backslashes that browsers read as slashes, dot segments that
 * normalise to `//host`, the auth routes themselves) falls back to the home page, so sign-in
 * cannot be used as an open redirect. The check runs on the normalised path, the value returned.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || value.length > 2048) return "/";
  if (!value.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(value)) return "/";
  const url = parsePath(value);
  if (!url || url.origin !== BASE || isSignInFlow(url.pathname)) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return staysOnPortal(path) ? path : "/";
}
