import "server-only";

import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/*
 * A limit on the changes one session may send per minute: a stolen or scripted session cannot
 * flood the approval queue, the audit log or the HSM. Counted in a fixed one-minute window on
 * the session's own row, in one guarded update, so that every portal instance counts against
 * the same limit and two requests at once are both counted.
 */

export const MUTATION_WINDOW_MS = 60_000;

export interface MutationWindow {
  start: number;
  count: number;
}

/**
 * A session past its limit. Only the first refusal of a window is worth the audit log: the
 * rest are the same flood, and recording each would let it fill the log it is kept out of.
 */
export class ChangeLimitError extends AppError {
  constructor(
    limit: number,
    retryAfterSeconds: number,
    readonly firstInWindow: boolean,
  ) {
    super(
      "rate_limited",
      `This session has sent more than ${limit} changes in a minute; wait ${retryAfterSeconds} s and try again.`,
      { retryAfterSeconds },
    );
  }
}

/** Null while within the limit; otherwise the refusal, with the seconds until the next window. */
export function limitRefusal(
  window: MutationWindow,
  limit: number,
  now: number,
): ChangeLimitError | null {
  if (window.count <= limit) return null;
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil((window.start + MUTATION_WINDOW_MS - now) / 1000),
  );
  return new ChangeLimitError(limit, retryAfterSeconds, window.count === limit + 1);
}

/**
 * Counts one change by the session and throws ChangeLimitError past the limit. The update reads
 * and writes the window in one statement (both databases evaluate SET from the old row).
 */
export async function countSessionChange(
  db: Db,
  sessionId: string,
  limit: number,
  now = Date.now(),
): Promise<void> {
  const expired = now - MUTATION_WINDOW_MS;
  const row = await db
    .updateTable("session")
    .set((eb) => ({
      mutation_count: eb
        .case()
        .when("mutation_window_start", "<=", expired)
        .then(1)
        .else(eb("mutation_count", "+", 1))
        .end(),
      mutation_window_start: eb
        .case()
        .when("mutation_window_start", "<=", expired)
        .then(now)
        .else(eb.ref("mutation_window_start"))
        .end(),
    }))
    .where("id", "=", sessionId)
    .returning(["mutation_window_start", "mutation_count"])
    .executeTakeFirst();
  if (!row) return;
  const refusal = limitRefusal(
    { start: Number(row.mutation_window_start), count: Number(row.mutation_count) },
    limit,
    now,
  );
  if (refusal) throw refusal;
}
