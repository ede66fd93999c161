import "server-only";

import { randomUUID } from "node:crypto";
import os from "node:os";

import { getDb, type Db } from "@/lib/db/client";

export type LeaseOutcome<T> =
  { acquired: true; value: T } | { acquired: false; heldBy: string | null };

export interface LeaseOptions {
  db?: Db;
  /** Called when a renewal fails; the job's AbortSignal fires at the same time. */
  onLost?: (reason: string) => void;
}

function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID()}`;
}

/**
 * Runs `fn` only if this caller takes the named lease, so that a job runs on exactly one of
 * several portal instances sharing a database. The lease is renewed every third of `ttlMs`
 * while `fn` runs and released afterwards; if a renewal fails (another holder took over after
 * expiry, or the database is gone) `fn`'s signal aborts and the job should stop. A holder that
 * dies leaves the lease to expire, after which another instance takes it over.
 */
export async function withLease<T>(
  name: string,
  ttlMs: number,
  fn: (signal: AbortSignal) => Promise<T>,
  options: LeaseOptions = {},
): Promise<LeaseOutcome<T>> {
  if (!Number.isFinite(ttlMs) || ttlMs < 100)
    throw new RangeError("lease ttl must be at least 100 ms");
  const db = options.db ?? (await getDb());
  const holder = newHolderId();

  const now = Date.now();
  const taken = await db
    .insertInto("lease")
    .values({ name, holder, acquired_at: now, expires_at: now + ttlMs })
    .onConflict((conflict) =>
      conflict
        .column("name")
        .doUpdateSet({ holder, acquired_at: now, expires_at: now + ttlMs })
        .where("lease.expires_at", "<=", now),
    )
    .returning("holder")
    .executeTakeFirst();
  if (taken?.holder !== holder) {
    const current = await db
      .selectFrom("lease")
      .select("holder")
      .where("name", "=", name)
      .executeTakeFirst();
    return { acquired: false, heldBy: current?.holder ?? null };
  }

  const controller = new AbortController();
  const lose = (reason: string) => {
    if (controller.signal.aborted) return;
    clearInterval(timer);
    options.onLost?.(reason);
    controller.abort(new Error(`lease ${name} lost: ${reason}`));
  };
  const renew = async () => {
    try {
      const result = await db
        .updateTable("lease")
        .set({ expires_at: Date.now() + ttlMs })
        .where("name", "=", name)
        .where("holder", "=", holder)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) lose("another holder took it over");
    } catch (error) {
      lose(`renewal failed: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();

  try {
    return { acquired: true, value: await fn(controller.signal) };
  } finally {
    clearInterval(timer);
    await db
      .deleteFrom("lease")
      .where("name", "=", name)
      .where("holder", "=", holder)
      .execute()
      // A release that fails leaves the row to expire after ttlMs; nothing else to do.
      .catch(() => undefined);
  }
}
