import "server-only";

import { getAuthConfig } from "@/lib/auth/config";
import { applicationTokenSource } from "@/lib/auth/credentials";
import { getMsal } from "@/lib/auth/msal";
import { getDb, type Db } from "@/lib/db/client";
import { withLease } from "@/lib/db/lease";
import type { DirectoryObjectTable } from "@/lib/db/schema/directory/table";
import { createGraphClient, type GraphClient } from "@/lib/directory/graph";
import { directoryRow, refreshDirectory, type RefreshOutcome } from "@/lib/directory/refresh";
import { storeObjects, unknownPrincipalIds } from "@/lib/directory/store";
import { getEnv, type Env } from "@/lib/env";
import { GRAPH_RESOURCE } from "@/lib/identity-constants";
import { createHttpsClient } from "@/lib/net/https-client";

/*
 * The portal's directory cache upkeep: Microsoft Graph in azure mode, the local provider's
 * Graph-shaped API in local mode, as the portal's application identity. A refresh is due when
 * the cache is older than KEYWARD_DIRECTORY_REFRESH_MINUTES or an assignment names a principal
 * the cache has never seen; one instance refreshes at a time (lease).
 */

const LEASE_TTL_MS = 5 * 60_000;

let graph: GraphClient | undefined;

/** Where the portal's directory is: the local provider's Graph-shaped API, or Microsoft Graph. */
export function graphLocation(env: Env): { baseUrl: string; resource: string } {
  if (env.mode === "local")
    return { baseUrl: `${new URL(env.idp.issuer).origin}/graph/v1.0`, resource: GRAPH_RESOURCE };
  return { baseUrl: `${env.graphEndpoint}/v1.0`, resource: env.graphEndpoint };
}

export function portalGraph(): GraphClient {
  if (!graph) {
    const auth = getAuthConfig();
    graph = createGraphClient({
      ...graphLocation(getEnv()),
      request: createHttpsClient(auth.caPem),
      tokens: applicationTokenSource(getMsal()),
    });
  }
  return graph;
}

export async function directoryRefreshDue(db: Db, now: number): Promise<boolean> {
  const status = await db
    .selectFrom("directory_status")
    .select(["last_success_at", "last_attempt_at"])
    .where("id", "=", 1)
    .executeTakeFirst();
  const intervalMs = getEnv().directoryRefreshMinutes * 60_000;
  if (!status?.last_success_at)
    return !status?.last_attempt_at || now - status.last_attempt_at >= 60_000;
  if (now - status.last_success_at >= intervalMs) return true;
  return (await unknownPrincipalIds(db)).length > 0;
}

/** Refreshes the cache when due; null when not due or another instance holds the lease. */
export async function refreshDirectoryIfDue(
  db: Db,
  now = Date.now(),
): Promise<RefreshOutcome | null> {
  if (!(await directoryRefreshDue(db, now))) return null;
  const outcome = await withLease("directory:refresh", LEASE_TTL_MS, () =>
    refreshDirectory(db, portalGraph(), { portalAppId: getAuthConfig().clientId, now }),
  );
  return outcome.acquired ? outcome.value : null;
}

/**
 * Principals the cache has not described, asked of the directory now and kept in the cache, so
 * that the next page asks nothing (the refresh keeps them current from then on).
 */
export async function lookUpPrincipals(ids: readonly string[]): Promise<DirectoryObjectTable[]> {
  if (ids.length === 0) return [];
  const now = Date.now();
  const rows = (await portalGraph().getByIds(ids)).flatMap((object) => {
    const row = directoryRow(object, now);
    return row ? [row] : [];
  });
  await storeObjects(await getDb(), rows);
  return rows;
}
