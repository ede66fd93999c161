import "server-only";

import { sql } from "kysely";

import type { Db } from "@/lib/db/client";
import type { MirrorSnapshot, PortalWrite } from "@/lib/out-of-band/rules";

/*
 * The reads around a sync that out-of-band detection compares: the mirror of one HSM as it
 * stands, and the writes the portal itself made to that HSM since a given time.
 */

const parseTags = (text: string): Record<string, string> => {
  const value = JSON.parse(text) as unknown;
  return value && typeof value === "object" ? (value as Record<string, string>) : {};
};

const parseList = (text: string): string[] => {
  const value = JSON.parse(text) as unknown;
  return Array.isArray(value) ? value.map(String) : [];
};

/**
 * Which part of an HSM's mirror one write replaces: all of it (a sync), one key and the
 * assignments on it (refreshing a key), the HSM-wide assignments, or the role definitions.
 */
export type MirrorPart =
  { all: true } | { key: string } | "hsm-wide-assignments" | "role-definitions";

const none = sql<boolean>`1 = 0`;

/** What the mirror holds of one HSM now, of the part given (default: all of it). */
export async function readMirrorSnapshot(
  db: Db,
  hsm: string,
  part: MirrorPart = { all: true },
): Promise<MirrorSnapshot> {
  const key = typeof part === "object" && "key" in part ? part.key.toLowerCase() : null;
  const all = typeof part === "object" && "all" in part;
  const [keys, assignments, definitions] = await Promise.all([
    db
      .selectFrom("inventory_key")
      .select([
        "name",
        "version",
        "enabled",
        "exportable",
        "not_before",
        "expires_at",
        "tags",
        "deleted_at",
        "policy",
      ])
      .where("hsm", "=", hsm)
      .$if(key !== null, (q) => q.where("name_lower", "=", key!))
      .$if(!all && key === null, (q) => q.where(none))
      .execute(),
    db
      .selectFrom("inventory_role_assignment")
      .select(["name", "scope", "role_definition_id", "principal_id"])
      .where("hsm", "=", hsm)
      .$if(key !== null, (q) => q.where("key_lower", "=", key!))
      .$if(part === "hsm-wide-assignments", (q) => q.where("key_lower", "is", null))
      .$if(part === "role-definitions", (q) => q.where(none))
      .execute(),
    db
      .selectFrom("inventory_role_definition")
      .select(["id", "role_name", "role_type", "description", "data_actions", "not_data_actions"])
      .where("hsm", "=", hsm)
      .$if(!all && part !== "role-definitions", (q) => q.where(none))
      .execute(),
  ]);
  return {
    keys: keys.map((row) => ({
      name: row.name,
      version: row.version,
      enabled: Number(row.enabled) === 1,
      exportable: Number(row.exportable) === 1,
      notBefore: row.not_before === null ? null : Number(row.not_before),
      expiresOn: row.expires_at === null ? null : Number(row.expires_at),
      tags: parseTags(row.tags),
      deleted: row.deleted_at !== null,
      policy: row.policy,
    })),
    assignments: assignments.map((row) => ({
      name: row.name,
      scope: row.scope,
      roleDefinitionId: row.role_definition_id,
      principalId: row.principal_id,
    })),
    roleDefinitions: definitions.map((row) => ({
      id: row.id,
      roleName: row.role_name,
      roleType: row.role_type,
      description: row.description ?? "",
      dataActions: parseList(row.data_actions),
      notDataActions: parseList(row.not_data_actions),
    })),
  };
}

/**
 * The portal's own writes to an HSM since `since`: change-request items that ran (executed, or
 * failed or still executing, since those may have reached the HSM; stale ones wrote nothing),
 * and time-limited grants the expiry job ended or is ending.
 */
export async function portalWritesSince(
  db: Db,
  hsm: string,
  since: number,
): Promise<PortalWrite[]> {
  const [items, grants] = await Promise.all([
    db
      .selectFrom("change_request_item as item")
      .innerJoin("change_request as request", "request.id", "item.request_id")
      .select(["request.kind", "item.target"])
      .where("request.hsm", "=", hsm)
      .where((eb) =>
        eb.or([
          eb("item.state", "=", "executing"),
          eb.and([
            eb("item.state", "in", ["executed", "failed"]),
            eb("item.finished_at", ">=", since),
          ]),
        ]),
      )
      .execute(),
    db
      .selectFrom("role_grant")
      .select(["assignment", "scope"])
      .where("hsm", "=", hsm)
      .where((eb) =>
        eb.or([
          eb("state", "=", "ending"),
          eb.and([eb("state", "=", "expired"), eb("ended_at", ">=", since)]),
        ]),
      )
      .execute(),
  ]);
  return [
    ...items.map((row) => ({
      kind: row.kind,
      target: JSON.parse(row.target) as Record<string, string>,
    })),
    ...grants.map((row) => ({
      kind: "grant.expire",
      target: { name: row.assignment, scope: row.scope },
    })),
  ];
}

/**
 * Where the interval of a sync starts: when the HSM's previous finished sync began. Null when it
 * has none, so the first sync only sets the baseline (everything would look new).
 */
export async function previousSyncStart(
  db: Db,
  hsm: string,
  currentRunId: string,
): Promise<number | null> {
  const previous = await db
    .selectFrom("sync_run")
    .select("started_at")
    .where("hsm", "=", hsm)
    .where("id", "!=", currentRunId)
    .where("kind", "!=", "key")
    .where("status", "in", ["succeeded", "partial"])
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return previous ? Number(previous.started_at) : null;
}
