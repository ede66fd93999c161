import "server-only";

import https from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { KeyClient, type KeyClientOptions } from "@azure/keyvault-keys";

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

export function hsmPipelineOptions(target: HsmTarget): KeyClientOptions {
  if (!target.caPem) return {};
  return {
    agent: new https.Agent({ keepAlive: true, ca: target.caPem }),
    disableChallengeResourceVerification: true,
  };
}

export function createKeyClient(target: HsmTarget, credential: TokenCredential): KeyClient {
  return new KeyClient(target.url, credential, hsmPipelineOptions(target));
}
