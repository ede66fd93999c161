import { SpanStatusCode } from "@opentelemetry/api";

import { instruments, telemetryOn, tracer } from "./instruments";

/**
 * A sync of one HSM as a span (its HSM requests become its children) and a duration measured by
 * outcome: "succeeded", "partial" (some keys could not be read) or "failed".
 */
export function measureSync<T extends { errors: readonly string[] }>(
  hsm: string,
  kind: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!telemetryOn()) return work();
  const attributes = { "keyward.hsm": hsm, "keyward.sync.kind": kind };
  return tracer().startActiveSpan(`sync ${hsm}`, { attributes }, async (span) => {
    const started = performance.now();
    const finish = (outcome: string) => {
      span.setAttribute("keyward.sync.outcome", outcome);
      instruments().syncDuration.record((performance.now() - started) / 1000, {
        ...attributes,
        "keyward.sync.outcome": outcome,
      });
      span.end();
    };
    try {
      const result = await work();
      finish(result.errors.length > 0 ? "partial" : "succeeded");
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
      finish("failed");
      throw error;
    }
  });
}
