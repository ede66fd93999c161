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

export function createHsmHandle(
  hsm: HsmTarget & { name: string; region: string },
  credential: TokenCredential,
  options: HsmHandleOptions = {},
): HsmHandle {
  const limit = pLimit(options.concurrency ?? DEFAULT_HSM_CONCURRENCY);
  const transport = hsmPipelineOptions(hsm);
  return {
    name: hsm.name,
    region: hsm.region,
    url: hsm.url,
    background: createHsmClients(
      hsm,
      credential,
      { limit, retries: options.backgroundRetries ?? BACKGROUND_RETRIES },
      transport,
    ),
    interactive: createHsmClients(
      hsm,
      credential,
      { limit, retries: INTERACTIVE_RETRIES },
      transport,
    ),
  };
}
