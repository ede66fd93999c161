import { formatUtc } from "@/lib/format/date";
import type { RestoreKind } from "@/lib/requests/kinds";
import type { FilingRefusal, RestoreSource, TargetState } from "@/lib/requests/target-state";

/*
 * Whether a restore can be filed, from the backup run it names and (for one key) the key's
 * state read live from the HSM. Pure: the service reads the run, its catalogue and the HSM, and
 * passes the clock in.
 */

/** Managed HSM restores a full backup only once it is this old. */
export const FULL_RESTORE_MIN_AGE_MS = 30 * 60_000;

/** What the request page says before anyone approves a full restore. */
export const FULL_RESTORE_WARNING =
  "While a full restore runs, the HSM's data plane is unavailable: every application using it fails until it ends. The HSM is first backed up (a safety backup). The backup must be older than 30 minutes.";

/** Why the run cannot be restored from at all, whatever the kind. */
function sourceRefusal(
  runId: string,
  source: RestoreSource | null | undefined,
  hsm: string,
): FilingRefusal | null {
  if (!source) return { code: "not_found", reason: `There is no backup run ${runId}.` };
  if (source.hsm !== hsm)
    return {
      code: "conflict",
      reason: `Backup run ${runId} is a backup of HSM ${source.hsm}, not of ${hsm}.`,
    };
  if (source.state !== "succeeded")
    return {
      code: "conflict",
      reason: `Backup run ${runId} did not succeed (it is ${source.state}): there is nothing to restore from it.`,
    };
  if (source.folderDeletedAt !== null)
    return {
      code: "conflict",
      reason: `The folder of backup run ${runId} was deleted by retention on ${formatUtc(source.folderDeletedAt)}: it can no longer be restored from.`,
    };
  if (!source.folderUrl || source.finishedAt === null)
    return {
      code: "conflict",
      reason: `Backup run ${runId} recorded no backup folder: there is nothing to restore from it.`,
    };
  return null;
}

/** When a full restore from this backup becomes possible. */
export const fullRestorePossibleAt = (finishedAt: number) =>
  Math.ceil((finishedAt + FULL_RESTORE_MIN_AGE_MS) / 60_000) * 60_000;

export function restoreRefusal(
  kind: RestoreKind,
  item: { backupRunId: string; key?: string },
  state: TargetState,
  hsm: string,
  now: number,
): FilingRefusal | null {
  const source = state.backup;
  const refused = sourceRefusal(item.backupRunId, source, hsm);
  if (refused || !source) return refused;
  if (kind === "restore.full") {
    const possibleAt = fullRestorePossibleAt(source.finishedAt!);
    return now < possibleAt
      ? {
          code: "conflict",
          reason: `Backup run ${item.backupRunId} finished at ${formatUtc(source.finishedAt!)}; Managed HSM restores a backup only once it is 30 minutes old: file this restore from ${formatUtc(possibleAt)}.`,
        }
      : null;
  }
  const key = item.key ?? "";
  if (!source.catalogued)
    return {
      code: "conflict",
      reason: `Backup run ${item.backupRunId} has no catalogue, so the portal cannot tell whether it holds key ${key}.`,
    };
  if (!source.versions || source.versions.length === 0)
    return {
      code: "not_found",
      reason: `Backup run ${item.backupRunId} does not hold a key named ${key}.`,
    };
  if (state.key)
    return {
      code: "conflict",
      reason: `Key ${key} exists in HSM ${hsm}: only a key that is gone (purged, or never there) can be restored.`,
    };
  if (state.deleted) {
    const until = state.deleted.scheduledPurgeOn;
    return {
      code: "conflict",
      reason: `Key ${key} exists (deleted${until === null ? "" : `, recoverable until ${formatUtc(until)}`}) — recover it instead or purge it first.`,
    };
  }
  return null;
}
