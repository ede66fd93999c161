/** A result and when it was obtained (epoch ms). */
export interface Dated<T> {
  value: T;
  at: number;
}

/**
 * Wraps an expensive call so that it runs at most once per `ttlMs`: callers within that time
 * get the last result, and callers while a run is under way share that run instead of starting
 * their own. A failed run is not kept: the next caller tries again. Pure apart from the clock,
 * which is injected.
 */
export function sharedResult<T>(
  run: () => Promise<T>,
  ttlMs: number,
  now: () => number = Date.now,
): () => Promise<Dated<T>> {
  let latest: Dated<T> | undefined;
  let inFlight: Promise<Dated<T>> | undefined;
  return () => {
    if (latest && now() - latest.at < ttlMs) return Promise.resolve(latest);
    inFlight ??= run()
      .then((value) => (latest = { value, at: now() }))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
