import type { FaultConfig, OperationClass } from "./config";
import { throttled, unavailable } from "./errors";

/*
 * Injected trouble, per HSM: latency on every call, 429s per operation class (with or without
 * Retry-After), 503s, and connections reset without an answer, before or after the HSM acted.
 * Clients under test must survive all four, and a write's lost answer must not make them write
 * twice.
 */

/** Thrown to have the server destroy the connection instead of answering. */
export class ConnectionReset extends Error {
  constructor() {
    super("connection reset by injected fault");
  }
}

/**
 * Waits, then throws what the request meets instead of being handled (429, 503, or a reset
 * before handling). Resolves with `resetAfter` true when the request is to be handled and its
 * connection then reset, so that the change stands and only the answer is lost.
 */
export async function applyFaults(
  faults: FaultConfig,
  opClass: OperationClass,
  random: () => number = Math.random,
): Promise<{ resetAfter: boolean }> {
  const delay =
    faults.latencyMs + (faults.jitterMs > 0 ? Math.floor(random() * faults.jitterMs) : 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const throttle = faults.throttle[opClass];
  if (throttle && random() < throttle.rate) throw throttled(throttle.retryAfterSeconds);
  if (faults.unavailableRate > 0 && random() < faults.unavailableRate) throw unavailable();
  const resets = faults.resetRate > 0 && (faults.resetClasses?.includes(opClass) ?? true);
  if (!resets || random() >= faults.resetRate) return { resetAfter: false };
  const after = faults.resetWhen === "either" ? random() < 0.5 : faults.resetWhen === "after";
  if (!after) throw new ConnectionReset();
  return { resetAfter: true };
}
