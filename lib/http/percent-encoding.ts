/**
 * True when a URL path holds a `%` escape that cannot be decoded: `%` not followed by two hex
 * digits, or escapes that do not form UTF-8 (`%ff`, an overlong `%C0%AF`, a cut-off sequence).
 * Next.js decodes route parameters with decodeURIComponent and fails on these before any
 * handler runs, so proxy.ts refuses them first. Pure.
 */
export function hasMalformedPercentEncoding(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}
