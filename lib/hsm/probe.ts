import "server-only";

import https from "node:https";

import type { HsmTarget } from "@/lib/hsm/client";
import { keepAliveAgent } from "@/lib/net/keep-alive-agent";

/*
 * Reachability without credentials: an unauthenticated data-plane request must come back as the
 * Key Vault challenge (401 with a Bearer WWW-Authenticate header). Anything else means the URL
 * is not a Managed HSM that answers, whatever the TCP port says.
 */

const PROBE_API_VERSION = "7.6";
const agents = new Map<string, https.Agent>();

function agentFor(target: HsmTarget): https.Agent {
  const key = target.caPem ?? "";
  let agent = agents.get(key);
  if (!agent) {
    agent = keepAliveAgent(target.caPem);
    agents.set(key, agent);
  }
  return agent;
}

export function probeHsm(target: HsmTarget, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/keys?api-version=${PROBE_API_VERSION}&maxresults=1`, target.url);
    const request = https.request(url, { agent: agentFor(target), signal }, (response) => {
      response.resume();
      const challenge = response.headers["www-authenticate"] ?? "";
      if (response.statusCode === 401 && /^Bearer /i.test(challenge)) resolve();
      else reject(new Error(`answered HTTP ${response.statusCode} without a Key Vault challenge`));
    });
    request.on("error", reject);
    request.end();
  });
}
