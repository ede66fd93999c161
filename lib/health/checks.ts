import "server-only";

import { getAuthConfig } from "@/lib/auth/config";
import { getDb, pingDatabase } from "@/lib/db/client";
import { getEnv, type Env } from "@/lib/env";
import { READINESS_CACHE_MS } from "@/lib/health/readiness";
import { sharedResult } from "@/lib/health/shared-result";
import { probeHsm } from "@/lib/hsm/probe";
import { configuredHsms, type ConfiguredHsm } from "@/lib/hsm/targets";
import { createHttpsClient, type HttpsRequest } from "@/lib/net/https-client";

export type CheckStatus = "pass" | "fail";

export interface CheckResult {
  name: string;
  kind: "database" | "blob-storage" | "identity-provider" | "hsm";
  target: string;
  status: CheckStatus;
  latencyMs: number;
  detail?: string;
}

interface DependencyCheck {
  name: string;
  kind: CheckResult["kind"];
  target: string;
  run: (signal: AbortSignal) => Promise<void>;
}

export const CHECK_TIMEOUT_MS = 3000;

function databaseCheck(env: Env): DependencyCheck {
  const target = env.database.kind === "sqlite" ? "SQLite" : "PostgreSQL";
  return {
    name: "database",
    kind: "database",
    target,
    run: async () => pingDatabase(await getDb()),
  };
}

/** Any HTTP answer from the blob service proves it is up; authorisation is its user's concern. */
function blobStorageCheck(endpoint: string, name = "blob-storage"): DependencyCheck {
  return {
    name,
    kind: "blob-storage",
    target: endpoint,
    run: async (signal) => {
      const response = await fetch(`${endpoint}?comp=list`, { signal });
      await response.body?.cancel();
      if (response.status >= 500) throw new Error(`answered HTTP ${response.status}`);
    },
  };
}

/** The identity provider's discovery document, fetched with the trust the portal uses for it. */
let identityProviderClient: HttpsRequest | undefined;

function identityProviderCheck(): DependencyCheck {
  const { metadataUrl, caPem } = getAuthConfig();
  const request = (identityProviderClient ??= createHttpsClient(caPem));
  return {
    name: "identity-provider",
    kind: "identity-provider",
    target: new URL(metadataUrl).origin,
    run: async () => {
      const response = await request("GET", metadataUrl);
      if (response.status !== 200) throw new Error(`answered HTTP ${response.status}`);
    },
  };
}

function hsmCheck(hsm: ConfiguredHsm): DependencyCheck {
  return {
    name: `hsm:${hsm.name}`,
    kind: "hsm",
    target: hsm.url,
    run: (signal) => probeHsm(hsm, signal),
  };
}

/** Everything this portal's configuration depends on. */
function configuredChecks(env: Env): DependencyCheck[] {
  const checks = [
    databaseCheck(env),
    identityProviderCheck(),
    ...configuredHsms(env).map(hsmCheck),
  ];
  if (env.mode === "local") checks.push(blobStorageCheck(env.azurite.blobEndpoint));
  // The audit checkpoints' container (locally it is in the Azurite checked above).
  else checks.push(blobStorageCheck(env.auditAnchor.containerUrl, "audit-storage"));
  return checks;
}

async function runCheck(check: DependencyCheck): Promise<CheckResult> {
  const startedAt = performance.now();
  // A timer cleared when the check answers: AbortSignal.timeout's would live on for the full
  // timeout after every liveness probe, and the probe runs often.
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const result = { name: check.name, kind: check.kind, target: check.target };
  try {
    await Promise.race([
      check.run(controller.signal),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const timeout = new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`);
          controller.abort(timeout);
          reject(timeout);
        }, CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ...result, status: "pass", latencyMs: Math.round(performance.now() - startedAt) };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return {
      ...result,
      status: "fail",
      latencyMs: Math.round(performance.now() - startedAt),
      detail: cause ? `${(error as Error).message} (${cause})` : (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkDatabaseOnly(): Promise<CheckResult> {
  return runCheck(databaseCheck(getEnv()));
}

export async function checkDependencies(): Promise<CheckResult[]> {
  return Promise.all(configuredChecks(getEnv()).map(runCheck));
}

/**
 * The probes behind /api/ready, run at most once per READINESS_CACHE_MS and shared by callers
 * that arrive while they run, so a flood of readiness calls cannot become a flood of requests
 * to the HSMs and the identity provider. The status page calls checkDependencies for a live view.
 */
export const readinessChecks = sharedResult(checkDependencies, READINESS_CACHE_MS);
