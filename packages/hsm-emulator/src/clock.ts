/**
 * The emulator's one clock. Key dates, expiry checks, soft-delete schedules and automatic
 * rotation all read it; in test mode a control endpoint moves it forward.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Epoch seconds, as the wire format wants them. */
  nowSeconds(): number;
  advance(ms: number): void;
  offsetMs(): number;
}

export function createClock(initialOffsetMs = 0): Clock {
  let offset = initialOffsetMs;
  return {
    now: () => Date.now() + offset,
    nowSeconds: () => Math.floor((Date.now() + offset) / 1000),
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
      offset += ms;
    },
    offsetMs: () => offset,
  };
}
