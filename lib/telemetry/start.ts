import "server-only";

import { context, diag, DiagLogLevel, metrics } from "@opentelemetry/api";

import type { Env } from "@/lib/env";
import { getLogger } from "@/lib/log/logger";
import { KEYWARD_VERSION } from "@/lib/version";

import { setTelemetryOn, setTracerProvider } from "./instruments";

/*
 * The OpenTelemetry SDK, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: spans batched and
 * sent to `${endpoint}/v1/traces`, metrics every OTEL_METRIC_EXPORT_INTERVAL to
 * `${endpoint}/v1/metrics`, both OTLP over HTTP (JSON). Off, not even the SDK's modules load.
 */

export interface Telemetry {
  /** Sends what is buffered now (tests, and a stop). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function startTelemetry(
  settings: Env["telemetry"],
  instanceId: string,
): Promise<Telemetry | undefined> {
  const { endpoint } = settings;
  if (!endpoint) return undefined;
  const [traceSdk, { OTLPTraceExporter }, metricSdk, { OTLPMetricExporter }, contexts] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/sdk-metrics"),
      import("@opentelemetry/exporter-metrics-otlp-http"),
      import("@opentelemetry/context-async-hooks"),
    ]);
  const { resourceFromAttributes } = await import("@opentelemetry/resources");
  const resource = resourceFromAttributes({
    "service.name": settings.serviceName,
    "service.version": KEYWARD_VERSION,
    "service.instance.id": instanceId,
  });
  const tracing = new traceSdk.NodeTracerProvider({
    resource,
    spanProcessors: [
      new traceSdk.BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: settings.headers }),
      ),
    ],
  });
  // Not tracing.register(): that would hand Next.js a live tracer (see instruments.ts). The
  // context manager is what makes a sync's span the parent of its HSM requests' spans.
  context.setGlobalContextManager(new contexts.AsyncLocalStorageContextManager().enable());
  setTracerProvider(tracing);
  // Failed exports and failed gauge callbacks are reported through diag: into the portal's log.
  const log = getLogger().child({ component: "telemetry" });
  diag.setLogger(
    {
      error: (message) => log.warn(message),
      warn: (message) => log.warn(message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const metering = new metricSdk.MeterProvider({
    resource,
    readers: [
      new metricSdk.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({
          url: `${endpoint}/v1/metrics`,
          headers: settings.headers,
        }),
        exportIntervalMillis: settings.metricIntervalMs,
        exportTimeoutMillis: Math.min(30_000, settings.metricIntervalMs),
      }),
    ],
  });
  metrics.setGlobalMeterProvider(metering);
  setTelemetryOn(true);
  return {
    flush: async () => {
      await Promise.all([tracing.forceFlush(), metering.forceFlush()]);
    },
    shutdown: async () => {
      setTelemetryOn(false);
      setTracerProvider(undefined);
      await Promise.all([tracing.shutdown(), metering.shutdown()]);
    },
  };
}
