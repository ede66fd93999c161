import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from "@azure/core-rest-pipeline";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";

import { instruments, telemetryOn, tracer } from "@/lib/telemetry/instruments";
import { hsmOperation } from "@/lib/telemetry/operation";

/*
 * One span and one set of measurements per request sent to an HSM (each retry its own), with the
 * HSM's name, the operation's shape ("GET /keys/{name}") and the status. No key names, tokens or
 * bodies are recorded.
 */

function traced(
  hsm: string,
  request: PipelineRequest,
  next: SendRequest,
): Promise<PipelineResponse> {
  const operation = hsmOperation(request.method, request.url);
  const attributes = { "keyward.hsm": hsm, "keyward.hsm.operation": operation };
  return tracer().startActiveSpan(
    `HSM ${operation}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        ...attributes,
        "http.request.method": request.method,
        "server.address": new URL(request.url).hostname,
      },
    },
    async (span) => {
      const started = performance.now();
      const record = (outcome: Record<string, string | number>) => {
        const measured = instruments();
        measured.hsmRequests.add(1, { ...attributes, ...outcome });
        measured.hsmRequestDuration.record((performance.now() - started) / 1000, {
          ...attributes,
          ...outcome,
        });
      };
      try {
        const response = await next(request);
        span.setAttribute("http.response.status_code", response.status);
        if (response.status === 429 || response.status === 503)
          instruments().hsmThrottled.add(1, { "keyward.hsm": hsm });
        // The Key Vault challenge's 401 is answered inside the SDK's authentication policy,
        // which runs after this one: a 401 seen here is a refused token.
        if (response.status >= 400)
          span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
        record({ "http.response.status_code": response.status });
        return response;
      } catch (error) {
        const type = (error as { code?: string }).code ?? (error as Error).name;
        span.setAttribute("error.type", type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        record({ "error.type": type });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export function hsmTelemetryPolicy(hsm: string): PipelinePolicy {
  return {
    name: "keywardHsmTelemetry",
    // Not async: off, the request goes straight on, without a promise of its own.
    sendRequest: (request, next) => (telemetryOn() ? traced(hsm, request, next) : next(request)),
  };
}
