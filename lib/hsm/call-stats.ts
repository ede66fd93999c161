import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";

/*
 * What a unit of work (a sync run, one page's live read) cost at the HSM. The pipeline policies
 * count into whichever CallStats is current for the async context, so callers need not thread
 * it through every SDK call; a call outside any context is simply not counted.
 */

export interface CallStats {
  /** Requests sent to the HSM, retries included. */
  calls: number;
  /** Answers of 429 or 503. */
  throttled: number;
  /** Requests sent again after a throttled or transient failure. */
  retries: number;
  /** Calls that failed for good (after any retries). */
  failures: number;
}

const storage = new AsyncLocalStorage<CallStats>();

export function newCallStats(): CallStats {
  return { calls: 0, throttled: 0, retries: 0, failures: 0 };
}

export function withCallStats<T>(stats: CallStats, work: () => Promise<T>): Promise<T> {
  return storage.run(stats, work);
}

export function currentCallStats(): CallStats | undefined {
  return storage.getStore();
}
