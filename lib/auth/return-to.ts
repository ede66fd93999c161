/**
 * Where to send the browser after sign-in: only a path on this portal. Anything else (absolute
 * URLs, protocol-relative `//host`, backslashes that browsers read as slashes, the auth routes
 * themselves) falls back to the home page, so sign-in cannot be used as an open redirect.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(value)) return "/";
  const url = new URL(value, "http://portal.invalid");
  if (url.origin !== "http://portal.invalid") return "/";
  if (
    url.pathname.startsWith("/api/auth/") ||
    url.pathname === "/sign-in" ||
    url.pathname === "/signed-out"
  )
    return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
