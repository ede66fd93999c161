import "server-only";

import { badParameter } from "@/lib/emulator/errors";
import type { HsmRequest } from "@/lib/emulator/http/request";

/*
 * Paged lists: at most 25 items a page (maxresults 1..25), an opaque $skiptoken, and a nextLink
 * on the origin the client used. A page may be short while more follow; only a missing nextLink
 * ends the list.
 */

export const MAX_PAGE = 25;

export function pageRequest(
  request: HsmRequest,
  defaultSize = MAX_PAGE,
): { offset: number; size: number } {
  const raw = request.query.get("maxresults");
  const size = raw === null ? defaultSize : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw badParameter(`maxresults must be an integer from 1 to ${MAX_PAGE} (got ${raw}).`);
  const token = request.query.get("$skiptoken");
  let offset = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, "base64url").toString("utf8"));
    if (!Number.isInteger(decoded) || decoded < 0) throw badParameter("The $skiptoken is invalid.");
    offset = decoded;
  }
  return { offset, size };
}

/** `{value, nextLink}` from a page fetched with one extra row (which says another page exists). */
export function pagedBody<T>(
  request: HsmRequest,
  rows: T[],
  offset: number,
  size: number,
  path: string,
) {
  const more = rows.length > size;
  const value = more ? rows.slice(0, size) : rows;
  if (!more) return { value, nextLink: null };
  const next = new URL(`${request.origin}${path}`);
  next.searchParams.set("api-version", request.query.get("api-version") ?? "7.6");
  next.searchParams.set("$skiptoken", Buffer.from(String(offset + size)).toString("base64url"));
  next.searchParams.set("maxresults", String(size));
  return { value, nextLink: next.toString() };
}
