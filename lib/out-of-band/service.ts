import "server-only";

import { auditedTransaction } from "@/lib/audit/service";
import type { AuditContext } from "@/lib/audit/types";
import { getDb, type Db } from "@/lib/db/client";
import type { OutOfBandChangeTable } from "@/lib/db/schema/out-of-band/table";
import { AppError } from "@/lib/errors";
import { describeChange } from "@/lib/out-of-band/describe";
import { type ChangeWhat, type OutOfBandState, type SubjectKind } from "@/lib/out-of-band/rules";

/*
 * Reading out-of-band changes and explaining them. Explaining is a guarded update (open →
 * explained) committed with its `out-of-band.explain` audit event; a second explanation finds
 * the row explained already and is a conflict, so the first reason stands.
 */

export interface OutOfBandView {
  id: string;
  hsm: string;
  subjectKind: SubjectKind;
  subjectName: string;
  key: string | null;
  what: ChangeWhat;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  firstSeenAt: number;
  state: OutOfBandState;
  explainedBy: { id: string; name: string } | null;
  explainedAt: number | null;
  reason: string | null;
}

export interface OutOfBandFilters {
  hsm?: string | undefined;
  state?: OutOfBandState | undefined;
  /** Only changes about this key (the key itself, or an assignment on it). */
  key?: string | undefined;
  limit?: number;
}

const LIST_LIMIT = 500;

const parsed = (text: string | null) =>
  text === null ? null : (JSON.parse(text) as Record<string, unknown>);

function viewOf(row: OutOfBandChangeTable): OutOfBandView {
  const change = {
    subjectKind: row.subject_kind as SubjectKind,
    subjectName: row.subject_name,
    what: row.what as ChangeWhat,
  };
  return {
    id: row.id,
    hsm: row.hsm,
    ...change,
    key: row.key_lower,
    summary: describeChange(change),
    before: parsed(row.before),
    after: parsed(row.after),
    firstSeenAt: Number(row.first_seen_at),
    state: row.state as OutOfBandState,
    explainedBy:
      row.explained_by === null
        ? null
        : { id: row.explained_by, name: row.explained_by_name ?? row.explained_by },
    explainedAt: row.explained_at === null ? null : Number(row.explained_at),
    reason: row.reason,
  };
}

/** Out-of-band changes, newest first: open ones unless `state` says explained. */
export async function listOutOfBand(
  filters: OutOfBandFilters = {},
  db?: Db,
): Promise<OutOfBandView[]> {
  const database = db ?? (await getDb());
  const rows = await database
    .selectFrom("out_of_band_change")
    .selectAll()
    .where("state", "=", filters.state ?? "open")
    .$if(filters.hsm !== undefined, (q) => q.where("hsm", "=", filters.hsm!))
    .$if(filters.key !== undefined, (q) => q.where("key_lower", "=", filters.key!.toLowerCase()))
    .orderBy("first_seen_at", "desc")
    .orderBy("id")
    .limit(filters.limit ?? LIST_LIMIT)
    .execute();
  return rows.map(viewOf);
}

/** Open changes per HSM, for the overview. */
export async function openCountsByHsm(db?: Db): Promise<Map<string, number>> {
  const database = db ?? (await getDb());
  const rows = await database
    .selectFrom("out_of_band_change")
    .select(["hsm", (eb) => eb.fn.countAll<number>().as("count")])
    .where("state", "=", "open")
    .groupBy("hsm")
    .execute();
  return new Map(rows.map((row) => [row.hsm, Number(row.count)]));
}

/**
 * Marks an open change explained, with who and why. Not found: 404; explained already: 409.
 * The update and its audit event commit together.
 */
export async function explainOutOfBand(
  id: string,
  reason: string,
  person: { id: string; name: string },
  audit: AuditContext,
  db?: Db,
  now: number = Date.now(),
): Promise<OutOfBandView> {
  const database = db ?? (await getDb());
  const row = await auditedTransaction(
    audit,
    async (trx) => {
      const moved = await trx
        .updateTable("out_of_band_change")
        .set({
          state: "explained",
          explained_by: person.id,
          explained_by_name: person.name,
          explained_at: now,
          reason,
        })
        .where("id", "=", id)
        .where("state", "=", "open")
        .executeTakeFirst();
      const current = await trx
        .selectFrom("out_of_band_change")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (!current) throw new AppError("not_found", `There is no out-of-band change ${id}.`);
      if (Number(moved.numUpdatedRows) !== 1)
        throw new AppError(
          "conflict",
          `The out-of-band change ${id} was explained already${current.explained_by_name ? ` by ${current.explained_by_name}` : ""}; its reason stands.`,
        );
      return current;
    },
    (current) => ({
      target: {
        hsm: current.hsm,
        [current.subject_kind]: current.subject_name,
        change: current.id,
      },
      detail: { what: current.what, reason },
    }),
    database,
  );
  return viewOf(row);
}
