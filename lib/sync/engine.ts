import "server-only";

import pLimit from "p-limit";

import type { Db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import {
  getDeletedKeyDetail,
  getKeyDetail,
  getRotationPolicy,
  keyPages,
  listDeletedKeys,
  listKeyVersions,
} from "@/lib/hsm/keys";
import {
  listHsmWideAssignments,
  listKeyAssignments,
  listRoleDefinitions,
  securityDomainStatus,
} from "@/lib/hsm/role-assignments";
import type { KeyAttributes } from "@/lib/hsm/types";
import { replaceHsmWideAssignments, replaceRoleDefinitions } from "@/lib/sync/hsm-store";
import {
  loadMirrorIndex,
  markDeleted,
  removeKeys,
  writeDetails,
  writeKeys,
  type KeySnapshot,
  type MirrorEntry,
} from "@/lib/sync/key-store";

/*
 * One sync of one HSM into the mirror.
 *
 * Listing is sequential (each page's nextLink comes from the one before), so the per-key reads
 * run alongside it, limited to a few requests fewer than the HSM's concurrency so that the next
 * page is never queued behind them. A key that is new or whose `updated` time changed (a new
 * version changes it too; list entries name no version) is read whole: details, versions,
 * policy, assignments. Details and versions cannot change without changing `updated`, and
 * versions are never removed one by one, so of every other key a full sync reads only what that
 * time cannot reveal, its rotation policy and key-scoped assignments: two calls per known key,
 * not four. An incremental sync reads those for the DETAIL_BUDGET keys read longest ago, so
 * that such changes are caught in time between full syncs. Deletions are found
 * by their absence from the list, checked against the deleted-keys list.
 */

export type SyncKind = "full" | "incremental";

export interface SyncOptions {
  kind: SyncKind;
  /** Concurrency of the HSM's clients; per-key reads use a little less. */
  concurrency: number;
  /** Unchanged keys whose policy and assignments an incremental sync re-reads. */
  detailBudget?: number;
  signal?: AbortSignal;
}

export interface SyncOutcome {
  listed: number;
  refreshed: number;
  removed: number;
  /** Per-key failures; the run still completes. */
  errors: string[];
  securityDomain: string;
}

const DEFAULT_DETAIL_BUDGET = 250;
const FLUSH_EVERY = 50;
const MAX_ERRORS_KEPT = 20;

/** Everything about one key: details, version count, rotation policy, key-scoped assignments. */
export async function readSnapshot(
  handle: HsmHandle,
  name: string,
  limit: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<KeySnapshot> {
  const readAt = Date.now();
  const [detail, versions, policy, assignments] = await Promise.all([
    limit(() => getKeyDetail(handle, name, "background")),
    limit(() => listKeyVersions(handle, name, "background")),
    limit(() => getRotationPolicy(handle, name, "background")),
    limit(() => listKeyAssignments(handle, name, "background")),
  ]);
  return { readAt, attributes: detail, detail, versionCount: versions.length, policy, assignments };
}

/** `updated` has whole seconds: a change within this long of the read may share its second. */
const SAME_SECOND_MARGIN_MS = 2_000;

function isChanged(entry: MirrorEntry | undefined, attributes: KeyAttributes): boolean {
  return (
    !entry ||
    !entry.hasDetail ||
    !entry.hasVersionCount ||
    entry.deletedAt !== null ||
    entry.updatedAt !== attributes.updatedOn ||
    entry.updatedAt >= entry.attributesReadAt - SAME_SECOND_MARGIN_MS
  );
}

export async function syncHsm(
  db: Db,
  handle: HsmHandle,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const index = await loadMirrorIndex(db, handle.name);
  const limit = pLimit(Math.max(1, options.concurrency - 2));
  const errors: string[] = [];
  const noteError = (error: unknown) => {
    if (errors.length < MAX_ERRORS_KEPT)
      errors.push(isAppError(error) ? error.message : String(error));
  };

  const hsmWide = Promise.all([
    listHsmWideAssignments(handle, "background").then((assignments) =>
      replaceHsmWideAssignments(db, handle.name, assignments),
    ),
    listRoleDefinitions(handle, "background").then((definitions) =>
      replaceRoleDefinitions(db, handle.name, definitions),
    ),
    securityDomainStatus(handle),
  ]);
  const deletedList = listDeletedKeys(handle, options.signal);
  // Both are awaited below; until then a failure must not surface as an unhandled rejection.
  hsmWide.catch(() => undefined);
  deletedList.catch(() => undefined);

  // What a key's `updated` time cannot reveal: its rotation policy and key-scoped assignments.
  // Null when the key went away meanwhile; the deletion pass below handles that.
  const readUnrevealed = async (nameLower: string, entry: MirrorEntry) => {
    try {
      const [policy, assignments] = await Promise.all([
        limit(() => getRotationPolicy(handle, nameLower, "background")),
        limit(() => listKeyAssignments(handle, nameLower, "background")),
      ]);
      return { nameLower, entry, policy, assignments };
    } catch (error) {
      if (!isAppError(error) || error.code !== "not_found") noteError(error);
      return null;
    }
  };

  // The rolling re-read of unchanged keys runs alongside the listing.
  const rolling =
    options.kind === "incremental"
      ? Promise.all(
          [...index.entries()]
            .filter(([, entry]) => entry.hasDetail && entry.deletedAt === null)
            .sort(([, a], [, b]) => (a.detailSyncedAt ?? 0) - (b.detailSyncedAt ?? 0))
            .slice(0, options.detailBudget ?? DEFAULT_DETAIL_BUDGET)
            .map(([nameLower, entry]) => readUnrevealed(nameLower, entry)),
        )
      : Promise.resolve([]);

  let pending: KeySnapshot[] = [];
  const flush = async () => {
    const batch = pending;
    pending = [];
    if (batch.length > 0) await writeKeys(db, handle.name, batch);
  };
  let writing = Promise.resolve();
  const queueWrite = (snapshot: KeySnapshot) => {
    pending.push(snapshot);
    if (pending.length >= FLUSH_EVERY) writing = writing.then(flush);
  };

  const listed = new Set<string>();
  const reads: Promise<void>[] = [];
  const unchangedReads: ReturnType<typeof readUnrevealed>[] = [];
  let refreshed = 0;
  let pageReadAt = Date.now();
  for await (const page of keyPages(handle, options.signal)) {
    const readAt = pageReadAt;
    pageReadAt = Date.now();
    for (const attributes of page) {
      const nameLower = attributes.name.toLowerCase();
      listed.add(nameLower);
      const entry = index.get(nameLower);
      if (entry && !isChanged(entry, attributes)) {
        // A full sync re-reads every key's policy and assignments; the rest stands as read.
        if (options.kind === "full")
          unchangedReads.push(
            readUnrevealed(nameLower, entry).then((read) => {
              if (read) refreshed += 1;
              return read;
            }),
          );
        continue;
      }
      reads.push(
        readSnapshot(handle, attributes.name, limit).then(
          (snapshot) => {
            refreshed += 1;
            queueWrite(snapshot);
          },
          (error: unknown) => {
            noteError(error);
            queueWrite({ readAt, attributes });
          },
        ),
      );
    }
  }
  await Promise.all(reads);

  const details = [...(await rolling), ...(await Promise.all(unchangedReads))].filter(
    (d) => d !== null,
  );
  writing = writing.then(() => writeDetails(db, handle.name, details));
  writing = writing.then(flush);
  await writing;

  const deleted = await deletedList;
  const deletedByName = new Map(deleted.map((key) => [key.name.toLowerCase(), key]));
  const newlyDeleted = deleted.filter((key) => {
    const entry = index.get(key.name.toLowerCase());
    return !listed.has(key.name.toLowerCase()) && (!entry || entry.deletedAt === null);
  });
  const unknownDeleted = newlyDeleted.filter((key) => !index.has(key.name.toLowerCase()));
  const snapshots = await Promise.all(
    unknownDeleted.map((key) =>
      limit(() => getDeletedKeyDetail(handle, key.name)).then(
        (detail): KeySnapshot => ({
          readAt: Date.now(),
          attributes: detail,
          detail,
          deleted: detail,
        }),
        (error: unknown): KeySnapshot => {
          noteError(error);
          return { readAt: Date.now(), attributes: key, deleted: key };
        },
      ),
    ),
  );
  await writeKeys(db, handle.name, snapshots);
  await markDeleted(
    db,
    handle.name,
    newlyDeleted.filter((key) => index.has(key.name.toLowerCase())),
  );
  const purged = [...index.keys()].filter((name) => !listed.has(name) && !deletedByName.has(name));
  await removeKeys(db, handle.name, purged);

  const [, , securityDomain] = await hsmWide;
  return { listed: listed.size, refreshed, removed: purged.length, errors, securityDomain };
}
