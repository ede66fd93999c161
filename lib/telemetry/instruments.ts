import {
  metrics,
  trace,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";

import { KEYWARD_VERSION } from "@/lib/version";

/*
 * The portal's spans and metrics. Keyward's tracer comes from its own tracer provider, which is
 * never registered as the global one: Next.js traces through the global API too, and its spans
 * carry raw URLs (a calendar feed's token, an authorisation code, key names). The metrics API
 * has no proxy: instruments are made from the meter provider registered when they are first
 * used, and made again should another be registered (tests).
 *
 * The state lives on globalThis: Next loads this module once per bundle (instrumentation,
 * routes, pages), and every copy must see the telemetry that instrumentation started.
 */

const SCOPE = "keyward";

interface TelemetryState {
  /** Whether an SDK exports what is recorded. */
  on: boolean;
  tracerProvider: TracerProvider | undefined;
}

const holder = globalThis as typeof globalThis & { keywardTelemetry?: TelemetryState };
const state = (holder.keywardTelemetry ??= { on: false, tracerProvider: undefined });

/**
 * Whether an SDK exports what is recorded (startTelemetry says so). Hot paths skip even the
 * API's no-op calls, and the shaping of their attributes, when it does not.
 */
export function telemetryOn(): boolean {
  return state.on;
}

export function setTelemetryOn(on: boolean): void {
  state.on = on;
}

export function setTracerProvider(provider: TracerProvider | undefined): void {
  state.tracerProvider = provider;
}

/** Keyward's tracer: its own provider's, or the API's no-op one while telemetry is off. */
export function tracer(): Tracer {
  return (state.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, KEYWARD_VERSION);
}

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
