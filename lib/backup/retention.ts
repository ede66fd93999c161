/*
 * Which backup folders a schedule's retention lets go, pure. A folder is kept when it is one of
 * the last N good backups or younger than D days (either rule keeps it); the newest good backup
 * and any folder a pending restore names are never let go, whatever the rules say.
 */

export interface Retention {
  /** Keep the newest N good backups. */
  keepLast?: number;
  /** Keep every good backup younger than D days. */
  keepDays?: number;
}

export interface RetainedBackup {
  id: string;
  /** When the backup finished, epoch ms. */
  finishedAt: number;
}

const DAY_MS = 86_400_000;

/** The good backups (not yet deleted) to delete, oldest first. */
export function backupsToDelete<B extends RetainedBackup>(
  backups: readonly B[],
  retention: Retention,
  now: number,
  protectedIds: ReadonlySet<string> = new Set(),
): B[] {
  if (retention.keepLast === undefined && retention.keepDays === undefined) return [];
  const newestFirst = [...backups].sort((a, b) => b.finishedAt - a.finishedAt);
  return newestFirst
    .filter((backup, index) => {
      if (index === 0 || protectedIds.has(backup.id)) return false;
      const amongLast = retention.keepLast !== undefined && index < retention.keepLast;
      const young =
        retention.keepDays !== undefined && now - backup.finishedAt < retention.keepDays * DAY_MS;
      return !amongLast && !young;
    })
    .reverse();
}
