/*
 * How long to wait before sending a throttled or failed HSM request again. Managed HSM often
 * answers 429 without Retry-After, and the Azure SDK then gives up at once; Microsoft's guidance
 * is to back off exponentially: 1, 2, 4, 8 and 16 seconds. A Retry-After the service does send
 * wins. Pure, so the schedule is tested on its own.
 */

const RETRY_BASE_DELAY_MS = 1_000;
const RETRY_MAX_DELAY_MS = 16_000;

/** The status codes worth another attempt: throttling, and transient server failures. */
export function isRetriableStatus(status: number): boolean {
  return (
    status === 408 ||
    status === 429 ||
    status === 500 ||
    status === 502 ||
    status === 503 ||
    status === 504
  );
}

/** Milliseconds from retry-after-ms, x-ms-retry-after-ms or Retry-After (seconds or an HTTP date). */
export function retryAfterMs(
  header: (name: string) => string | undefined,
  now: number = Date.now(),
): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const value = Number(header(name));
    if (header(name) !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = header("retry-after")?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt` (0 for the first retry): the server's Retry-After when
 * given (capped), otherwise 1, 2, 4, 8, 16 s with ±25 % jitter so that many callers throttled
 * together do not come back together.
 */
export function retryDelayMs(
  attempt: number,
  serverDelayMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (serverDelayMs !== undefined) return Math.min(serverDelayMs, RETRY_MAX_DELAY_MS * 4);
  const exponential = Math.min(RETRY_BASE_DELAY_MS * 2 ** attempt, RETRY_MAX_DELAY_MS);
  return Math.round(exponential * (0.75 + random() * 0.5));
}
