import { randomUUID } from "node:crypto";
import { sql } from "kysely";

import { backupsHoldingKey } from "@/lib/backup/catalogue-store";
import type { Db } from "@/lib/db/client";

/*
 * A year of daily catalogues for the "which backups hold key X" figure: one real run's catalogue
 * rows copied, inside the database, under new succeeded runs one day apart (so every row is
 * shaped exactly as the runner writes it), then random key names asked for.
 */

const DAY_MS = 86_400_000;
const RUNS_PER_TRANSACTION = 10;

/** Copies `source`'s run row and catalogue under `days` new runs, one a day back from it. */
export async function copyCatalogues(db: Db, sourceRunId: string, days: number): Promise<void> {
  const source = await db
    .selectFrom("backup_run")
    .selectAll()
    .where("id", "=", sourceRunId)
    .executeTakeFirstOrThrow();
  const access = await db
    .selectFrom("backup_catalogue_access")
    .selectAll()
    .where("run_id", "=", sourceRunId)
    .executeTakeFirstOrThrow();
  for (let day = 1; day <= days; day += RUNS_PER_TRANSACTION)
    await db.transaction().execute(async (trx) => {
      for (let d = day; d < Math.min(days + 1, day + RUNS_PER_TRANSACTION); d += 1) {
        const id = randomUUID();
        const back = (time: number | null) => (time === null ? null : time - d * DAY_MS);
        await trx
          .insertInto("backup_run")
          .values({
            ...source,
            id,
            job_id: randomUUID(),
            folder_url: `${source.folder_url}-copy-${d}`,
            started_at: back(source.started_at),
            finished_at: back(source.finished_at),
            catalogued_at: back(source.catalogued_at),
            created_at: back(source.created_at)!,
            updated_at: back(source.updated_at)!,
          })
          .execute();
        await trx
          .insertInto("backup_catalogue_access")
          .values({ ...access, run_id: id })
          .execute();
        await sql`insert into backup_catalogue_key (run_id, hsm, name_lower, name, versions, attributes, tags)
          select ${id}, hsm, name_lower, name, versions, attributes, tags
          from backup_catalogue_key where run_id = ${sourceRunId}`.execute(trx);
      }
    });
}

export interface LatencyFigures {
  p50: number;
  p95: number;
  max: number;
  backupsPerAnswer: number;
}

/** Asks for `queries` random key names of `names` (after a few unmeasured ones). */
export async function measureHoldingQueries(
  db: Db,
  hsm: string,
  names: readonly string[],
  queries: number,
): Promise<LatencyFigures> {
  const pick = () => names[Math.floor(Math.random() * names.length)]!;
  for (let i = 0; i < 10; i += 1) await backupsHoldingKey(db, hsm, pick());
  const times: number[] = [];
  let held = 0;
  for (let i = 0; i < queries; i += 1) {
    const started = performance.now();
    held += (await backupsHoldingKey(db, hsm, pick().toUpperCase())).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: times.at(-1)!, backupsPerAnswer: held / queries };
}

/** Bytes of one run's catalogue rows: the sum of its columns' lengths. */
export async function catalogueColumnBytes(db: Db, runId: string): Promise<number> {
  const row = await sql<{ bytes: number | string }>`
    select coalesce(sum(length(run_id) + length(hsm) + length(name_lower) + length(name)
      + length(versions) + length(attributes) + length(tags)), 0) as bytes
    from backup_catalogue_key where run_id = ${runId}`.execute(db);
  return Number(row.rows[0]?.bytes ?? 0);
}

/** The catalogue table and its indexes on disk: SQLite's dbstat, PostgreSQL's relation size. */
export async function catalogueStoredBytes(
  db: Db,
  dialect: "sqlite" | "postgres",
): Promise<number | null> {
  try {
    const row =
      dialect === "postgres"
        ? await sql<{
            bytes: string;
          }>`select pg_total_relation_size('backup_catalogue_key') as bytes`.execute(db)
        : await sql<{ bytes: number }>`select sum(pgsize) as bytes from dbstat
            where name = 'backup_catalogue_key' or name like 'sqlite_autoindex_backup_catalogue_key%'
              or name = 'backup_catalogue_key_by_name'`.execute(db);
    return Number(row.rows[0]?.bytes ?? 0);
  } catch {
    return null; // SQLite built without dbstat
  }
}
