import "server-only";

import { sql, type ExpressionBuilder, type SqlBool } from "kysely";

import type { Db } from "@/lib/db/client";
import type { Database } from "@/lib/db/schema";
import { REQUESTS_PAGE_SIZE, type RequestFilters } from "@/lib/requests/filters";
import { toSummary } from "@/lib/requests/store";
import type { RequestSummary } from "@/lib/requests/types";
import { isGuid } from "@/lib/validation/primitives";

/* The request list: who sees what is decided here, on the server, for pages and the API alike. */

export interface RequestViewer {
  id: string;
  /** Sees every request (key team, approvers, auditors). */
  readAll: boolean;
  /** The viewer's groups: a requester also sees the requests of keys their groups own. */
  groups: readonly string[];
}

export interface RequestPage {
  requests: RequestSummary[];
  next: string | null;
}

/** Pending, filed by someone else, not yet decided by this person: what they may still review. */
function awaitsDecisionBy(personId: string) {
  return (eb: ExpressionBuilder<Database, "change_request">) =>
    eb.and([
      eb("state", "=", "pending"),
      eb("requester_id", "!=", personId),
      eb.not(
        eb.exists(
          eb
            .selectFrom("change_request_decision as d")
            .select("d.request_id")
            .whereRef("d.request_id", "=", "change_request.id")
            .where("d.approver_id", "=", personId),
        ),
      ),
    ]);
}

export async function listRequests(
  db: Db,
  viewer: RequestViewer,
  filters: RequestFilters,
): Promise<RequestPage> {
  const limit = filters.limit ?? REQUESTS_PAGE_SIZE;
  let query = db.selectFrom("change_request").selectAll();
  if (!viewer.readAll)
    query = query.where((eb) =>
      eb.or([
        eb("requester_id", "=", viewer.id),
        // Owner groups are stored as lower-case GUIDs (filing-items.ts); a claim that is not
        // one can own nothing, and must not become a pattern that matches something else.
        ...viewer.groups
          .filter(isGuid)
          .map((group) => eb("owner_groups", "like", `%"${group.toLowerCase()}"%`)),
      ]),
    );
  if (filters.state) query = query.where("state", "=", filters.state);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  if (filters.hsm) query = query.where("hsm", "=", filters.hsm);
  if (filters.mine) query = query.where("requester_id", "=", viewer.id);
  if (filters.toReview) query = query.where(awaitsDecisionBy(viewer.id));
  if (filters.before) {
    const [at, id] = filters.before.split(":") as [string, string];
    query = query.where(
      sql<SqlBool>`(filed_at < ${Number(at)} or (filed_at = ${Number(at)} and id < ${id}))`,
    );
  }
  const rows = await query
    .orderBy("filed_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    requests: page.map(toSummary),
    next: rows.length > limit && last ? `${last.filed_at}:${last.id}` : null,
  };
}

/** How many pending requests this approver may still decide (the sidebar's badge). */
export async function countToReview(db: Db, viewerId: string): Promise<number> {
  const row = await db
    .selectFrom("change_request")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(awaitsDecisionBy(viewerId))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Whether a viewer may see one request (the same rule as the list). */
export function maySee(
  viewer: RequestViewer,
  request: { requester: { id: string } },
  ownerGroups: readonly string[],
): boolean {
  if (viewer.readAll || request.requester.id === viewer.id) return true;
  const mine = new Set(viewer.groups.map((g) => g.toLowerCase()));
  return ownerGroups.some((g) => mine.has(g));
}
