import {
  metrics,
  trace,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
} from "@opentelemetry/api";

import { KEYWARD_VERSION } from "@/lib/version";

/*
 * The portal's spans and metrics through the OpenTelemetry API alone. Without a registered SDK
 * (telemetry off) the API hands out no-op tracers and meters, so recording costs a few function
 * calls. The metrics API has no proxy: instruments are made from the provider registered when
 * they are first used, and made again should another be registered (tests).
 */

const SCOPE = "keyward";

let exporting = false;

/**
 * Whether an SDK exports what is recorded (startTelemetry says so). Hot paths skip even the
 * API's no-op calls, and the shaping of their attributes, when it does not.
 */
export function telemetryOn(): boolean {
  return exporting;
}

export function setTelemetryOn(on: boolean): void {
  exporting = on;
}

export const tracer = () => trace.getTracer(SCOPE, KEYWARD_VERSION);

export interface Instruments {
  meter: Meter;
  hsmRequests: Counter;
  hsmThrottled: Counter;
  hsmRequestDuration: Histogram;
  syncDuration: Histogram;
}

let cached: { provider: MeterProvider; instruments: Instruments } | undefined;

export function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter(SCOPE, KEYWARD_VERSION);
  const made: Instruments = {
    meter,
    hsmRequests: meter.createCounter("keyward.hsm.requests", {
      description: "Requests sent to a Managed HSM, each attempt counted, by operation and status.",
    }),
    hsmThrottled: meter.createCounter("keyward.hsm.throttled", {
      description: "Answers of 429 or 503 from a Managed HSM (its throttling).",
    }),
    hsmRequestDuration: meter.createHistogram("keyward.hsm.request.duration", {
      description: "How long one request to a Managed HSM took.",
      unit: "s",
    }),
    syncDuration: meter.createHistogram("keyward.sync.duration", {
      description: "How long one HSM's inventory sync took, by outcome.",
      unit: "s",
    }),
  };
  cached = { provider, instruments: made };
  return made;
}
