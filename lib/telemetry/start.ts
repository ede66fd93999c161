import "server-only";

import { metrics } from "@opentelemetry/api";

import type { Env } from "@/lib/env";
import { KEYWARD_VERSION } from "@/lib/version";

import { setTelemetryOn } from "./instruments";

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
  const [traceSdk, { OTLPTraceExporter }, metricSdk, { OTLPMetricExporter }] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
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
  tracing.register();
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
      await Promise.all([tracing.shutdown(), metering.shutdown()]);
    },
  };
}
