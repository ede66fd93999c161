import { badParameter } from "../errors";
import type { HsmRequest } from "./request";

/*
 * Paged lists: at most 25 items a page (maxresults 1..25), an opaque $skiptoken, and a nextLink
 * on the origin the client used. A page may be short while more follow; only a missing nextLink
 * ends the list. The token holds the sort key of the last item sent (keyset paging), so a page
 * costs the same however deep into a 5,000-key list it is.
 */

const TOKEN_PREFIX = "after:";

export const MAX_PAGE = 25;

export function pageRequest(
  request: HsmRequest,
  defaultSize = MAX_PAGE,
): { after: string | null; size: number } {
  const raw = request.query.get("maxresults");
  const size = raw === null ? defaultSize : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw badParameter(`maxresults must be an integer from 1 to ${MAX_PAGE} (got ${raw}).`);
  const token = request.query.get("$skiptoken");
  if (!token) return { after: null, size };
  const decoded = Buffer.from(token, "base64url").toString("utf8");
  if (!decoded.startsWith(TOKEN_PREFIX)) throw badParameter("The $skiptoken is invalid.");
  return { after: decoded.slice(TOKEN_PREFIX.length), size };
}

/** `{value, nextLink}` from a page fetched with one extra row (which says another page exists). */
export function pagedBody<T>(
  request: HsmRequest,
  rows: T[],
  size: number,
  path: string,
  sortKeyOf: (row: T) => string,
) {
  const more = rows.length > size;
  const value = more ? rows.slice(0, size) : rows;
  if (!more) return { value, nextLink: null };
  const next = new URL(`${request.origin}${path}`);
  next.searchParams.set("api-version", request.query.get("api-version") ?? "7.6");
  const last = sortKeyOf(value[value.length - 1]!);
  next.searchParams.set("$skiptoken", Buffer.from(`${TOKEN_PREFIX}${last}`).toString("base64url"));
  next.searchParams.set("maxresults", String(size));
  return { value, nextLink: next.toString() };
}
