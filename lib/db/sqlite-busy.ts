import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";

import { AppError } from "@/lib/errors";

/*
 * Several portal processes share one SQLite file (the launcher's cluster), and only one of them
 * can write at a time. SQLite's own busy timeout waits for the write lock by sleeping inside the
 * call, which in Node blocks the whole event loop: every request that process serves stops until
 * the other process commits, and the other process's transaction itself spans several turns of
 * its event loop, each shared with page renders. Under a write-heavy mix two workers measured a
 * p95 of 2 s where one worker measured 0.6 s. So the connection is opened with no busy timeout
 * and a statement refused with SQLITE_BUSY is tried again after a timer, while the process goes
 * on serving everything else. A refused statement changed nothing, so trying it again is safe;
 * past the deadline the caller gets a 503 that says so.
 */

export interface BusyRetry {
  /** How long a statement may wait for the write lock in all before the caller gets a 503. */
  readonly deadlineMs: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_BUSY_RETRY: BusyRetry = { deadlineMs: 5_000, firstDelayMs: 1, maxDelayMs: 20 };

/** SQLITE_BUSY and its extended codes that waiting cures (not BUSY_SNAPSHOT: a stale read). */
const RETRIED_CODES = new Set(["SQLITE_BUSY", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"]);

export function isBusyError(error: unknown): boolean {
  return (
    error instanceof Error &&
    RETRIED_CODES.has((error as Error & { code?: unknown }).code as string)
  );
}

/** The delay before attempt `attempt + 1`: doubling from the first, capped, never past the deadline. */
export function busyDelayMs(retry: BusyRetry, attempt: number, remainingMs: number): number {
  return Math.max(0, Math.min(retry.firstDelayMs * 2 ** attempt, retry.maxDelayMs, remainingMs));
}

export function retryingWhileBusy(
  connection: DatabaseConnection,
  retry: BusyRetry = DEFAULT_BUSY_RETRY,
): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const deadline = Date.now() + retry.deadlineMs;
      for (let attempt = 0; ; attempt++) {
        try {
          return await connection.executeQuery<R>(query);
        } catch (error) {
          if (!isBusyError(error)) throw error;
          const remaining = deadline - Date.now();
          if (remaining <= 0)
            throw new AppError(
              "unavailable",
              `The database was busy: another portal process held its write lock for ${retry.deadlineMs / 1000} s, and nothing was written. Try again in a moment.`,
              { retryAfterSeconds: 1, cause: error },
            );
          await new Promise((resolve) =>
            setTimeout(resolve, busyDelayMs(retry, attempt, remaining)),
          );
        }
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}
