import type { FaultConfig, OperationClass } from "./config";
import { throttled, unavailable } from "./errors";

/*
 * Injected trouble, per HSM: latency on every call, 429s per operation class (with or without
 * Retry-After), and 503s. Clients under test must survive all three.
 */

export async function applyFaults(
  faults: FaultConfig,
  opClass: OperationClass,
  random: () => number = Math.random,
): Promise<void> {
  const delay =
    faults.latencyMs + (faults.jitterMs > 0 ? Math.floor(random() * faults.jitterMs) : 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const throttle = faults.throttle[opClass];
  if (throttle && random() < throttle.rate) throw throttled(throttle.retryAfterSeconds);
  if (faults.unavailableRate > 0 && random() < faults.unavailableRate) throw unavailable();
}
