import { z } from "zod";

/*
 * OpenTelemetry export: the standard OTEL_* names, so that a collector's usual settings apply.
 * Kept apart from lib/env-variables.ts only for size; that file spreads them into ENV_VARIABLES.
 */

/** `key=value` pairs separated by commas, values percent-encoded (the OTLP exporter's format). */
const otlpHeaders = z.string().transform((text, ctx) => {
  const headers: Record<string, string> = {};
  for (const pair of text.split(",").filter((part) => part.trim() !== "")) {
    const index = pair.indexOf("=");
    const name = pair.slice(0, index).trim();
    if (index < 1 || !/^[A-Za-z0-9-]+$/.test(name)) {
      ctx.addIssue({ code: "custom", message: "must be name=value pairs separated by commas" });
      return z.NEVER;
    }
    try {
      headers[name.toLowerCase()] = decodeURIComponent(pair.slice(index + 1).trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `the value of ${name} is not percent-encoded` });
      return z.NEVER;
    }
  }
  return headers;
});

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

export const TELEMETRY_VARIABLES = [
  {
    name: "OTEL_EXPORTER_OTLP_ENDPOINT",
    scope: "all",
    description:
      "An OTLP/HTTP collector (its base URL: traces go to `/v1/traces`, metrics to `/v1/metrics`). Set, the portal exports spans of its HSM calls and its metrics there; unset, telemetry is off and costs nothing.",
    example: "https://otel-collector.internal:4318",
    schema: z
      .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
      .refine(
        (url) => url.startsWith("https://") || LOOPBACK_HOSTS.includes(new URL(url).hostname),
        "must be https (plain http only to a collector on this machine: spans and the headers would travel in clear)",
      )
      .refine((url) => {
        const { username, password } = new URL(url);
        return username === "" && password === "";
      }, "must not hold credentials: give them in OTEL_EXPORTER_OTLP_HEADERS"),
  },
  {
    name: "OTEL_EXPORTER_OTLP_HEADERS",
    scope: "all",
    description:
      "Headers sent with every export, as `name=value` pairs separated by commas (an API key of a hosted collector).",
    example: "api-key=0123456789abcdef",
    secret: true,
    schema: otlpHeaders,
  },
  {
    name: "OTEL_SERVICE_NAME",
    scope: "all",
    description: "The `service.name` of the exported telemetry.",
    example: "keyward-prod",
    defaultValue: "keyward",
    schema: z.string().trim().min(1).max(128),
  },
  {
    name: "OTEL_METRIC_EXPORT_INTERVAL",
    scope: "all",
    description: "Milliseconds between metric exports.",
    example: "15000",
    defaultValue: "60000",
    schema: z.coerce.number().int("must be whole milliseconds").min(1000).max(3_600_000),
  },
] as const;
