import "server-only";

import pLimit from "p-limit";

import type { PrincipalKind } from "@/lib/access/model";
import type { Db } from "@/lib/db/client";
import type { AnyItem, RequestKind } from "@/lib/requests/kinds";
import { keyOfItem, type ItemSubject } from "@/lib/self-service/requester-rules";
import { findTemplate } from "@/lib/templates/store";
import type { KeyTemplate } from "@/lib/templates/template";

/*
 * What the self-service rules need about each item of a request, read from the inventory
 * mirror (the key's owner and template tags), the key templates and the directory.
 */

/** Items read at once (each reads the mirror, and may ask the directory about a principal). */
const READS_AT_ONCE = 8;

/** What the directory cache says a principal is ("unknown" when it has not described it). */
export async function cachedPrincipalKind(db: Db, id: string): Promise<PrincipalKind> {
  const row = await db
    .selectFrom("directory_object")
    .select("kind")
    .where("id", "=", id.toLowerCase())
    .executeTakeFirst();
  const kind = row?.kind;
  return kind === "user" || kind === "group" || kind === "servicePrincipal" ? kind : "unknown";
}

export interface SubjectReads {
  db: Db;
  /** The principal's kind; the portal asks the directory when its cache does not know. */
  principalKindOf?: (id: string) => Promise<PrincipalKind>;
}

export async function itemSubjects(
  reads: SubjectReads,
  kind: RequestKind,
  hsm: string | null,
  items: readonly AnyItem[],
  fromTemplate: KeyTemplate | null,
): Promise<ItemSubject[]> {
  const { db } = reads;
  const templates = new Map<string, KeyTemplate | null>();
  const templateNamed = async (name: string | undefined) => {
    if (!name) return null;
    if (!templates.has(name)) templates.set(name, (await findTemplate(db, name))?.template ?? null);
    return templates.get(name)!;
  };
  const kindOf = reads.principalKindOf ?? ((id: string) => cachedPrincipalKind(db, id));
  // One question per principal, a few at a time: a bulk of 500 grants must not flood the directory.
  const kinds = new Map<string, Promise<PrincipalKind>>();
  const principalKindOf = (id: string) => {
    const key = id.toLowerCase();
    if (!kinds.has(key)) kinds.set(key, kindOf(key));
    return kinds.get(key)!;
  };
  const limit = pLimit(READS_AT_ONCE);
  return Promise.all(
    items.map((item) =>
      limit(async (): Promise<ItemSubject> => {
        const name = kind === "key.create" ? null : keyOfItem(kind, item);
        const row =
          name && hsm
            ? await db
                .selectFrom("inventory_key")
                .select(["name", "owner", "tags"])
                .where("hsm", "=", hsm)
                .where("name_lower", "=", name.toLowerCase())
                .where("deleted_at", "is", null)
                .executeTakeFirst()
            : undefined;
        const tags = row ? (JSON.parse(row.tags) as Record<string, string>) : {};
        return {
          item,
          key: row
            ? { name: row.name, owner: row.owner, template: await templateNamed(tags.template) }
            : null,
          fromTemplate,
          principalKind:
            kind === "role-assignment.create"
              ? await principalKindOf((item as { principalId: string }).principalId)
              : null,
        };
      }),
    ),
  );
}
