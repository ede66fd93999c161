import "server-only";

import type { TokenCredential } from "@azure/core-auth";
import { KeyClient, type KeyClientOptions } from "@azure/keyvault-keys";
import type { LimitFunction } from "p-limit";

import { createAdminClient, type AdminClient } from "@/lib/hsm/admin-client";
import {
  concurrencyPolicy,
  firstRequestGatePolicy,
  retryPolicy,
  type RetrySettings,
} from "@/lib/hsm/policies";
import { hsmTelemetryPolicy } from "@/lib/hsm/telemetry-policy";
import { keepAliveAgent } from "@/lib/net/keep-alive-agent";

/*
 * The only place that knows whether an HSM is the local emulator. For the emulator, the client
 * trusts the local CA (and only it, only for this client) and skips the challenge-resource check,
 * which cannot pass on localhost; a real Managed HSM gets the defaults: system roots and full
 * verification. TLS verification is never turned off.
 */

export interface HsmTarget {
  url: string;
  /** PEM of the local CA, for the emulator only. */
  caPem?: string;
}

/** How the clients of one HSM reach it: share one per HSM, so that they share its connections. */
export type HsmTransport = Pick<KeyClientOptions, "agent" | "disableChallengeResourceVerification">;

export function hsmPipelineOptions(target: HsmTarget): HsmTransport {
  if (!target.caPem) return {};
  return {
    agent: keepAliveAgent(target.caPem),
    disableChallengeResourceVerification: true,
  };
}

/** A bare KeyClient with the SDK's defaults (tests of the emulator itself). */
export function createKeyClient(target: HsmTarget, credential: TokenCredential): KeyClient {
  return new KeyClient(target.url, credential, hsmPipelineOptions(target));
}

export interface HsmClients {
  keys: KeyClient;
  admin: AdminClient;
}

export interface HsmClientSettings {
  /** The HSM's configured name, as telemetry names it. */
  hsm: string;
  /** Bounds the requests in flight to this HSM; shared by every client of the HSM. */
  limit: LimitFunction;
  retries: RetrySettings;
}

/**
 * The portal's clients for one HSM: KeyClient for keys and cryptography, the admin client for
 * RBAC, backup and settings, sharing one concurrency limit and the portal's retry policy.
 */
export function createHsmClients(
  target: HsmTarget,
  credential: TokenCredential,
  settings: HsmClientSettings,
  transport: HsmTransport = hsmPipelineOptions(target),
): HsmClients {
  // The gate is per client: each client has its own challenge state.
  const policies = () => [
    concurrencyPolicy(settings.limit),
    retryPolicy(settings.retries),
    hsmTelemetryPolicy(settings.hsm),
    firstRequestGatePolicy(),
  ];
  const keys = new KeyClient(target.url, credential, {
    ...transport,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: policies().map((policy) => ({ policy, position: "perCall" as const })),
  });
  return { keys, admin: createAdminClient(target.url, credential, transport, policies()) };
}
