import "server-only";

import type { PortalSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { groupOptions, type GroupLabel } from "@/lib/directory/group-labels";
import { cachedGroupIds, groupLabels } from "@/lib/directory/store";
import { getEnv } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors";
import { isConfiguredHsm, portalHsmOrThrow } from "@/lib/hsm/connections";
import { getPublicKey, listKeyVersions } from "@/lib/hsm/keys";
import { configuredHsms } from "@/lib/hsm/targets";
import type { KeyVersionInfo } from "@/lib/hsm/types";
import { facetOptions, type FacetOptions } from "@/lib/inventory/facets";
import type { KeyFilters } from "@/lib/inventory/filters";
import { freshnessOf, type Freshness } from "@/lib/inventory/freshness";
import { hsmStates, hsmSummaries } from "@/lib/inventory/hsm-summaries";
import {
  deletedKeys,
  exportKeys,
  getMirroredKey,
  keyPresence,
  searchKeys,
  type InventoryKey,
  type InventoryKeyDetail,
} from "@/lib/inventory/keys";
import { visibilityOf, type Visibility } from "@/lib/inventory/visibility";
import { recentRuns } from "@/lib/sync/runs";

/*
 * The inventory as pages and routes read it: what the viewer may see, from the mirror, and the
 * few things read live from the HSM (a key's versions, its public key). Every function takes the
 * viewer's context, so a requester can only ever be handed their groups' keys.
 */

/** What every inventory page and API starts from: what the viewer may see, and how fresh it is. */
export interface InventoryContext {
  visibility: Visibility;
  now: number;
  hsms: { name: string; region: string; url: string }[];
  freshness: Freshness[];
}

export async function inventoryContext(session: PortalSession): Promise<InventoryContext> {
  const env = getEnv();
  const now = Date.now();
  const states = new Map((await hsmStates(await getDb())).map((row) => [row.name, row]));
  const hsms = configuredHsms(env).map(({ name, region, url }) => ({ name, region, url }));
  const freshness = hsms.map((hsm) => {
    const row = states.get(hsm.name);
    return freshnessOf(
      row && {
        name: row.name,
        lastSuccessAt: row.last_success_at,
        lastAttemptAt: row.last_attempt_at,
        lastError: row.last_error,
        lastErrorAt: row.last_error_at,
      },
      hsm.name,
      env.sync.intervalMinutes,
      now,
    );
  });
  return { visibility: visibilityOf(session), now, hsms, freshness };
}

/** One page of the keys matching the filters, and how many match in all. */
export async function findKeys(context: InventoryContext, filters: KeyFilters) {
  return searchKeys(await getDb(), filters, context.visibility, context.now);
}

/** Every key matching the filters, for an export. */
export async function keysToExport(context: InventoryContext, filters: KeyFilters) {
  return exportKeys(await getDb(), filters, context.visibility, context.now);
}

/** The filter menus' choices. */
export async function keyFacets(context: InventoryContext): Promise<FacetOptions> {
  return facetOptions(await getDb(), context.visibility, context.now);
}

/** Names for owner group ids: a name, a deleted principal, or an id not described yet. */
export async function ownerLabels(ids: readonly string[]): Promise<Map<string, GroupLabel>> {
  return groupLabels(await getDb(), ids);
}

/**
 * The groups a key's owner tag may name, as menu options (id, name): every group the directory
 * cache knows, and the ids given (a key's current owner stays choosable even if unknown).
 */
export async function ownerGroupOptions(current: readonly string[] = []) {
  const db = await getDb();
  // A current owner keeps its spelling (the select must match the tag); ids compare lower-case.
  const taken = new Set(current.map((id) => id.toLowerCase()));
  const ids = [...current, ...(await cachedGroupIds(db)).filter((id) => !taken.has(id))];
  return groupOptions([...(await groupLabels(db, ids)).values()]);
}

/** A key the viewer may see, live or deleted, from the mirror of an HSM this portal serves. */
export async function mirroredKey(
  context: InventoryContext,
  hsm: string,
  name: string,
): Promise<InventoryKeyDetail | undefined> {
  if (!isConfiguredHsm(hsm)) return undefined;
  return getMirroredKey(await getDb(), hsm, name, context.visibility);
}

export async function deletedKeysOf(
  context: InventoryContext,
  hsm: string | undefined,
): Promise<InventoryKey[]> {
  return deletedKeys(await getDb(), context.visibility, hsm);
}

/** Per HSM: its key counts, its sync state, and (for the key team) the recent sync runs. */
export async function inventoryOverview(context: InventoryContext) {
  const db = await getDb();
  const [summaries, states, runs] = await Promise.all([
    hsmSummaries(db, context.visibility, context.now),
    hsmStates(db),
    context.visibility.all ? recentRuns(db, 10) : Promise.resolve([]),
  ]);
  return { summaries, states, runs };
}

/**
 * A key's versions, read live from its HSM (the mirror keeps only the count). An HSM that does
 * not answer is a message on the page, not an error page: the rest of the key is still shown.
 */
export async function liveKeyVersions(
  key: InventoryKeyDetail,
): Promise<{ versions: KeyVersionInfo[] } | { error: string }> {
  if (key.deletedAt !== null)
    return {
      error: "The key is soft-deleted: its versions can be read again once it is recovered.",
    };
  try {
    return { versions: await listKeyVersions(portalHsmOrThrow(key.hsm), key.name, "interactive") };
  } catch (error) {
    return { error: isAppError(error) ? error.message : "The HSM did not answer." };
  }
}

/** The current version's public key, for a live RSA or EC key the viewer may see. */
export async function publicKeyOf(context: InventoryContext, hsm: string, name: string) {
  const key = await mirroredKey(context, hsm, name);
  // A key the viewer may not see is "not found", whether or not it exists.
  if (!key || key.deletedAt !== null)
    throw new AppError("not_found", `There is no key ${name} in HSM ${hsm} that you can see.`);
  if (key.family === "oct")
    throw new AppError("not_found", `Key ${key.name} is an AES key: it has no public part.`);
  const publicKey = await getPublicKey(portalHsmOrThrow(hsm), key.name);
  if (!publicKey) throw new AppError("not_found", `Key ${key.name} has no public part.`);
  return { key, ...publicKey };
}

/**
 * Where each named key of `hsm` stands in the mirror now: live, deleted (soft) or, when the
 * mirror does not hold it, gone (purged or never there). One query, whatever the count.
 */
export async function keyStatesNow(
  hsm: string,
  names: readonly string[],
): Promise<Map<string, "live" | "deleted" | "gone">> {
  const present = await keyPresence(await getDb(), hsm, names);
  return new Map(names.map((name) => [name, present.get(name.toLowerCase()) ?? "gone"]));
}
