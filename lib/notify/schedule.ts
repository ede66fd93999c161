/*
 * When a webhook delivery is tried again. Pure: attempt counts and times in, a decision out.
 *
 * Attempts come in rounds of three, a second and then three seconds apart (a webhook that blinks
 * is reached in the same run). After a failed round the notification waits: one minute after
 * the first round, doubling after each later one, at most an hour. It is given up — marked
 * failed, with every attempt kept — once the next attempt would fall more than a day after the
 * notification was made.
 */

export const ATTEMPTS_PER_ROUND = 3;
/** The pauses before the second and the third attempt of a round. */
export const IN_ROUND_DELAYS_MS = [1_000, 3_000] as const;
export const FIRST_ROUND_BACKOFF_MS = 60_000;
export const MAX_BACKOFF_MS = 3_600_000;
export const GIVE_UP_AFTER_MS = 86_400_000;

export type RetryDecision =
  /** Try again in this run, after the pause. */
  | { kind: "pause"; delayMs: number }
  /** Leave it for a later run, at `at` or after. */
  | { kind: "later"; at: number }
  | { kind: "give-up" };

/** The wait after the `round`-th failed round (1-based): 1, 2, 4, … minutes, at most an hour. */
export function roundBackoffMs(round: number): number {
  if (!Number.isInteger(round) || round < 1) throw new RangeError("rounds count from 1");
  return Math.min(FIRST_ROUND_BACKOFF_MS * 2 ** Math.min(round - 1, 30), MAX_BACKOFF_MS);
}

/** What to do after `failedAttempts` attempts in all have failed, the last one at `now`. */
export function afterFailure(
  failedAttempts: number,
  createdAt: number,
  now: number,
): RetryDecision {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError("decide only after a failed attempt");
  const deadline = createdAt + GIVE_UP_AFTER_MS;
  const inRound = failedAttempts % ATTEMPTS_PER_ROUND;
  const next =
    inRound === 0
      ? { kind: "later" as const, at: now + roundBackoffMs(failedAttempts / ATTEMPTS_PER_ROUND) }
      : { kind: "pause" as const, delayMs: IN_ROUND_DELAYS_MS[inRound - 1]! };
  const nextAt = next.kind === "later" ? next.at : now + next.delayMs;
  return nextAt > deadline ? { kind: "give-up" } : next;
}
