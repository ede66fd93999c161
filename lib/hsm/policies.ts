import "server-only";

import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from "@azure/core-rest-pipeline";
import type { LimitFunction } from "p-limit";

import { currentCallStats } from "@/lib/hsm/call-stats";
import { isRetriableStatus, retryAfterMs, retryDelayMs } from "@/lib/hsm/retry-delay";

/*
 * Pipeline policies every HSM client gets, in this order: the per-HSM concurrency limit (held
 * while a throttled request waits, so that throttling slows the caller down), then retries,
 * then the SDK's own authentication. The SDK's built-in retry is turned off in favour of this
 * one (see retry-delay.ts for why).
 */

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Give up rather than wait past this many milliseconds in total. */
  maxTotalWaitMs: number;
}

/** Background work (sync): Microsoft's full 1-2-4-8-16 s schedule. */
export const BACKGROUND_RETRIES: RetrySettings = { maxRetries: 5, maxTotalWaitMs: 45_000 };
/** A page or API request waiting for the answer: a short schedule, then a clear error. */
export const INTERACTIVE_RETRIES: RetrySettings = { maxRetries: 2, maxTotalWaitMs: 4_000 };

const IDEMPOTENT = new Set(["GET", "HEAD"]);

function sleep(ms: number, signal: PipelineRequest["abortSignal"]): Promise<void> {
  const aborted = () => new Error("The HSM request was aborted while waiting to retry.");
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener("abort", onAbort);
  });
}

/**
 * Holds every request of a fresh client until its first one has finished. Key Vault's challenge
 * policy (@azure/keyvault-common 2.1.0) strips the body of the first request to fetch the
 * challenge and restores it only while the challenge is still "started": when several first
 * requests race, another one can complete the challenge in between, and the first is then sent
 * again with no body at all (a create key without its key type). One request alone never races.
 */
export function firstRequestGatePolicy(): PipelinePolicy {
  let gate: Promise<unknown> | undefined;
  let open = false;
  return {
    name: "keywardFirstRequestGate",
    async sendRequest(request, next) {
      if (open) return next(request);
      if (gate) {
        await gate.catch(() => undefined);
        return next(request);
      }
      const first = next(request);
      gate = first.finally(() => {
        open = true;
      });
      // Waiters see the outcome through `first`'s caller; the gate itself must not go unhandled.
      gate.catch(() => undefined);
      return first;
    },
  };
}

export function concurrencyPolicy(limit: LimitFunction): PipelinePolicy {
  return {
    name: "keywardHsmConcurrency",
    sendRequest: (request, next) => limit(() => next(request)),
  };
}

/**
 * 429 and 503 are retried for any method: the HSM did not process the request. Other transient
 * failures (408, 500, 502, 504, connection errors) only for reads, so that a write is never sent
 * twice by accident.
 */
export function retryPolicy(settings: RetrySettings): PipelinePolicy {
  return {
    name: "keywardHsmRetry",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const stats = currentCallStats();
      let waited = 0;
      for (let attempt = 0; ; attempt += 1) {
        if (stats) stats.calls += 1;
        let response: PipelineResponse | undefined;
        let failure: unknown;
        try {
          response = await next(request);
        } catch (error) {
          failure = error;
        }
        const status = response?.status;
        if (status === 429 || status === 503) {
          if (stats) stats.throttled += 1;
        }
        const retriable =
          response !== undefined
            ? isRetriableStatus(response.status) &&
              (response.status === 429 || response.status === 503 || IDEMPOTENT.has(request.method))
            : IDEMPOTENT.has(request.method) && !request.abortSignal?.aborted;
        const delay = retryDelayMs(
          attempt,
          response ? retryAfterMs((name) => response.headers.get(name)) : undefined,
        );
        if (
          !retriable ||
          attempt >= settings.maxRetries ||
          waited + delay > settings.maxTotalWaitMs
        ) {
          if (stats && (failure !== undefined || (status !== undefined && status >= 400))) {
            if (failure !== undefined || retriable) stats.failures += 1;
          }
          if (failure !== undefined)
            throw failure instanceof Error
              ? failure
              : new Error("The HSM request failed.", { cause: failure });
          return response!;
        }
        waited += delay;
        if (stats) stats.retries += 1;
        await sleep(delay, request.abortSignal);
      }
    },
  };
}
