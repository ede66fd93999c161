import "server-only";

import type { PollerLike, PollOperationState } from "@azure/keyvault-keys";

import { AppError } from "@/lib/errors";
import { ReadBackError, toAppError } from "@/lib/hsm/errors";

/*
 * The SDK's delete and recover pollers, bounded. Their first poll (inside begin*) sends the write
 * and then reads the target once; later polls only read, until the deleted key (or the recovered
 * key) is readable. Managed HSM makes that visible within seconds; past the bound, what the HSM
 * answered to the write stands as the result.
 */

export const SETTLE_WITHIN_MS = 30_000;
const POLL_INTERVAL_MS = 1_000;

/** The SDK's pollers send the write first and read only after it succeeded. */
const failedReading = (error: unknown) =>
  (error as { request?: { method?: string } } | undefined)?.request?.method === "GET";

export async function settlePoller<T>(
  hsm: string,
  what: string,
  begin: (options: { intervalInMs: number }) => Promise<PollerLike<PollOperationState<T>, T>>,
  withinMs: number = SETTLE_WITHIN_MS,
): Promise<T> {
  let poller: PollerLike<PollOperationState<T>, T>;
  try {
    poller = await begin({ intervalInMs: POLL_INTERVAL_MS });
  } catch (error) {
    if (!failedReading(error)) throw error;
    const reading = toAppError(error, hsm, "read it back");
    throw new AppError(
      "upstream_failed",
      `HSM ${hsm} accepted the request to ${what}, but reading the result failed: ${reading.message}`,
      { cause: new ReadBackError(`${what}: accepted, not read back`, { cause: error }) },
    );
  }
  const deadline = Date.now() + withinMs;
  while (!poller.isDone() && Date.now() + POLL_INTERVAL_MS <= deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    try {
      await poller.poll();
    } catch {
      break; // Only a read failed: the write went through, and its answer is the result.
    }
  }
  const result = poller.getOperationState().result;
  if (result === undefined) throw new Error(`the SDK's poller to ${what} holds no result`);
  return result;
}
