import "server-only";

import type { TokenCredential } from "@azure/core-auth";
import pLimit from "p-limit";

import {
  createHsmClients,
  hsmPipelineOptions,
  type HsmClients,
  type HsmTarget,
} from "@/lib/hsm/client";
import { BACKGROUND_RETRIES, INTERACTIVE_RETRIES, type RetrySettings } from "@/lib/hsm/policies";
import { MANAGED_HSM_RESOURCE } from "@/lib/identity-constants";

/*
 * One HSM as the rest of lib/hsm sees it: its name and region, and two sets of clients that
 * share one concurrency limit: `background` retries on Microsoft's full schedule (sync), and
 * `interactive` gives up after a few seconds (a page or an API request is waiting).
 */

export interface HsmHandle {
  name: string;
  region: string;
  url: string;
  background: HsmClients;
  interactive: HsmClients;
}

export const DEFAULT_HSM_CONCURRENCY = 16;

export interface HsmHandleOptions {
  concurrency?: number;
  /** Tests of failure paths shorten the background schedule; the portal never does. */
  backgroundRetries?: RetrySettings;
}

/**
 * The credential an HSM outside Azure (the emulator, trusted through its own CA) gets: without the
 * SDK's challenge check the host names the token's resource, so it may ask for Managed HSM's alone
 * and never for another resource's (Graph, storage) the portal's identity also holds.
 */
export function managedHsmScopeOnly(credential: TokenCredential): TokenCredential {
  const allowed = `${MANAGED_HSM_RESOURCE}/.default`;
  return {
    getToken: (scopes, options) => {
      const asked = Array.isArray(scopes) ? scopes : [scopes];
      if (asked.some((scope) => scope !== allowed))
        throw new Error(
          `the HSM asked for a token for ${asked.join(" ")}; an HSM outside Azure gets ${allowed} only`,
        );
      return credential.getToken(scopes, options);
    },
  };
}

export function createHsmHandle(
  hsm: HsmTarget & { name: string; region: string },
  portalCredential: TokenCredential,
  options: HsmHandleOptions = {},
): HsmHandle {
  const limit = pLimit(options.concurrency ?? DEFAULT_HSM_CONCURRENCY);
  const transport = hsmPipelineOptions(hsm);
  const credential = transport.disableChallengeResourceVerification
    ? managedHsmScopeOnly(portalCredential)
    : portalCredential;
  return {
    name: hsm.name,
    region: hsm.region,
    url: hsm.url,
    background: createHsmClients(
      hsm,
      credential,
      { hsm: hsm.name, limit, retries: options.backgroundRetries ?? BACKGROUND_RETRIES },
      transport,
    ),
    interactive: createHsmClients(
      hsm,
      credential,
      { hsm: hsm.name, limit, retries: INTERACTIVE_RETRIES },
      transport,
    ),
  };
}
