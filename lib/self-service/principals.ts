import "server-only";

import type { PrincipalKind } from "@/lib/access/model";
import { getDb } from "@/lib/db/client";
import { kindOf } from "@/lib/directory/graph";
import { lookUpPrincipals, portalGraph } from "@/lib/directory/service";
import { cachedPrincipalKind } from "@/lib/self-service/subjects";

/*
 * Principals as the self-service forms and checks need them: the service principals an
 * application team picks from (asked of the directory, not the cache, which holds only
 * principals the HSMs already name), and what a principal is.
 */

export interface PickablePrincipal {
  id: string;
  displayName: string;
  appId: string | null;
}

/** What a principal is: the cache's answer, else the directory's ("unknown" if neither knows). */
export async function principalKind(id: string): Promise<PrincipalKind> {
  const cached = await cachedPrincipalKind(await getDb(), id);
  if (cached !== "unknown") return cached;
  const [found] = await lookUpPrincipals([id]);
  return found?.kind === "user" || found?.kind === "group" || found?.kind === "servicePrincipal"
    ? found.kind
    : "unknown";
}

/** Service principals (applications and managed identities) whose name starts with `prefix`. */
export async function searchServicePrincipals(
  prefix: string,
  top: number,
): Promise<PickablePrincipal[]> {
  const found = await portalGraph().servicePrincipalsStartingWith(prefix, top);
  return found
    .filter((object) => kindOf(object) === "servicePrincipal")
    .map((object) => ({
      id: object.id,
      displayName: object.displayName ?? object.id,
      appId: object.appId ?? null,
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, "en"));
}
