import "server-only";

import { hasPermission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import type { GroupLabel } from "@/lib/directory/group-labels";
import { lookUpPrincipals } from "@/lib/directory/service";
import { groupLabels } from "@/lib/directory/store";
import { listGrants, type GrantView } from "@/lib/grants/service";
import { keyFiltersSchema } from "@/lib/inventory/filters";
import { searchKeys, type InventoryKey } from "@/lib/inventory/keys";
import { listRequests } from "@/lib/requests/list";
import { approvalPolicies } from "@/lib/requests/service";
import type { RequestSummary } from "@/lib/requests/types";
import { dueItems, type DueItem } from "@/lib/self-service/due";
import { SELF_SERVICE_ROLES } from "@/lib/self-service/requester-rules";
import { findTemplate, listTemplates } from "@/lib/templates/store";
import { grantApprovals, type KeyTemplate } from "@/lib/templates/template";

/*
 * Self-service as the pages use it: an application team's keys and what is due on them, their
 * open requests, the groups they may make keys for, and, for one key, what they may ask and how
 * many approvals each needs.
 */

const MY_KEYS_LIMIT = 100;
const OPEN_STATES = new Set(["pending", "approved", "executing"]);

export interface MyKeysView {
  /** The moment the view was read, for relative dates. */
  now: number;
  groups: GroupLabel[];
  keys: InventoryKey[];
  total: number;
  due: DueItem[];
  openRequests: RequestSummary[];
  /** Time-limited grants on their keys or asked for by them, soonest end first. */
  grants: GrantView[];
}

/**
 * The signed-in person's groups as the directory names them. The cache knows only the groups
 * the HSMs name, so the others are asked of the directory; one it cannot name keeps its id.
 */
export async function myGroups(session: PortalSession): Promise<GroupLabel[]> {
  const cached = [...(await groupLabels(await getDb(), session.groups)).values()];
  const unknown = cached.filter((label) => label.status === "unknown").map((label) => label.id);
  const named = new Map<string, string>();
  if (unknown.length > 0)
    try {
      for (const row of await lookUpPrincipals(unknown))
        if (row.display_name) named.set(row.id, row.display_name);
    } catch {
      // The directory is unreachable: the groups keep their ids, and the page still works.
    }
  const labels = cached.map((label): GroupLabel => {
    const name = label.status === "unknown" ? named.get(label.id.toLowerCase()) : undefined;
    return name ? { id: label.id, status: "exists", name } : label;
  });
  return labels.sort((a, b) =>
    (a.status === "exists" ? a.name : a.id).localeCompare(b.status === "exists" ? b.name : b.id),
  );
}

export async function myKeysView(session: PortalSession, now = Date.now()): Promise<MyKeysView> {
  const db = await getDb();
  const owners = [...new Set(session.groups.map((g) => g.toLowerCase()))];
  const filters = keyFiltersSchema.parse({ sort: "expires", pageSize: MY_KEYS_LIMIT });
  const [groups, keys, requests, grants] = await Promise.all([
    myGroups(session),
    // My keys are my groups' keys, whoever looks: the key team sees its own groups' here too.
    owners.length > 0
      ? searchKeys(db, filters, { all: false, owners }, now)
      : { items: [], total: 0 },
    listRequests(
      db,
      { id: session.userOid, readAll: false, groups: session.groups },
      { mine: true, limit: 50 },
    ),
    listGrants(db, { id: session.userOid, groups: session.groups, readAll: false }, {}),
  ]);
  return {
    now,
    groups,
    keys: keys.items,
    total: keys.total,
    due: dueItems(keys.items, now),
    openRequests: requests.requests.filter((r) => OPEN_STATES.has(r.state)),
    grants,
  };
}

/** The key templates a requester may make keys from (every template; they are not secret). */
export async function templatesToUse(): Promise<KeyTemplate[]> {
  return (await listTemplates(await getDb())).map((stored) => stored.template);
}

/** What the owner team may ask for one key, and the approvals each needs. */
export interface KeySelfService {
  template: KeyTemplate | null;
  approvals: {
    rotate: number;
    extend: number | null;
    permanentGrant: number;
    timeLimitedGrant: number;
  };
  roles: [id: string, name: string][];
}

export async function keySelfService(
  session: PortalSession,
  tags: Record<string, string>,
): Promise<KeySelfService | null> {
  if (
    !hasPermission(session.roles, "requests.fileOwn") ||
    hasPermission(session.roles, "requests.file")
  )
    return null;
  const [stored, policies] = await Promise.all([
    tags.template ? findTemplate(await getDb(), tags.template) : null,
    approvalPolicies(),
  ]);
  const template = stored?.template ?? null;
  return {
    template,
    approvals: {
      rotate: template?.approvals ?? policies["key.rotate"].approvals,
      extend: template?.approvals ?? null,
      permanentGrant: template
        ? grantApprovals(template, false)
        : policies["role-assignment.create"].approvals,
      timeLimitedGrant: template
        ? grantApprovals(template, true)
        : policies["role-assignment.create"].approvals,
    },
    roles: [...SELF_SERVICE_ROLES.entries()],
  };
}
