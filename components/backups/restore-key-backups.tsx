import Link from "next/link";
import { notFound } from "next/navigation";

import { hasPermission } from "@/lib/auth/permissions";
import type { PortalSession } from "@/lib/auth/sessions";
import type { BackupHoldingKey } from "@/lib/backup/catalogue-store";
import { backupsHoldingKey } from "@/lib/backup/service";
import { isAppError } from "@/lib/errors";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";
import { PageHeader } from "@/components/layout/page-header";

import { RestoreKeyAction } from "./restore-key-action";

/** The backups holding a key; an HSM the portal does not serve holds none. */
async function holding(hsm: string, name: string): Promise<BackupHoldingKey[]> {
  try {
    return await backupsHoldingKey(hsm, name);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return [];
    throw error;
  }
}

function BackupsTable({
  hsm,
  keyName,
  backups,
  canRestore,
  now,
}: {
  hsm: string;
  keyName: string;
  backups: BackupHoldingKey[];
  canRestore: boolean;
  now: number;
}) {
  return (
    <Table scrollLabel="Backups holding this key">
      <TableHeader>
        <TableRow>
          <TableHead>Backup</TableHead>
          <TableHead>Versions it holds</TableHead>
          {canRestore ? <TableHead>Restore</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {backups.map((backup) => (
          <TableRow key={backup.runId}>
            <TableCell>
              <a href={`/backups/runs/${backup.runId}`} className="ui-link">
                <When value={backup.finishedAt} now={now} withTime />
              </a>
            </TableCell>
            <TableCell>
              <details>
                <summary className="cursor-pointer">
                  {backup.versions.length === 1
                    ? "1 version"
                    : `${backup.versions.length} versions`}
                </summary>
                <ul className="mt-1 flex flex-col gap-1 font-mono text-xs break-all">
                  {backup.versions.map((v) => (
                    <li key={v.version}>{v.version}</li>
                  ))}
                </ul>
              </details>
            </TableCell>
            {canRestore ? (
              <TableCell>
                <RestoreKeyAction
                  hsm={hsm}
                  runId={backup.runId}
                  keyName={keyName}
                  versionCount={backup.versions.length}
                  label="Restore from this backup"
                />
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * "In backups" on a key's page: the good backups that hold the key, newest first. Restoring is
 * offered only on a gone key's page (a key that exists, live or deleted, cannot be restored).
 */
export async function KeyInBackups({
  hsm,
  keyName,
  now,
}: {
  hsm: string;
  keyName: string;
  now: number;
}) {
  const backups = await holding(hsm, keyName);
  return (
    <Card className="lg:col-span-2">
      <CardHeader>
        <CardTitle>In backups</CardTitle>
        <CardDescription>
          {backups.length === 0
            ? "No backup whose folder is still there holds this key."
            : "The good backups that hold this key, newest first, with the versions each holds."}
        </CardDescription>
      </CardHeader>
      {backups.length > 0 ? (
        <CardContent>
          <BackupsTable
            hsm={hsm}
            keyName={keyName}
            backups={backups}
            canRestore={false}
            now={now}
          />
        </CardContent>
      ) : null}
    </Card>
  );
}

/**
 * The page of a key gone from the HSM (purged, so no longer in the inventory) that backups still
 * hold: where it can be restored from. Without backups.read, or when no backup holds the key,
 * the key simply does not exist: not found.
 */
export async function GoneKeyInBackups({
  session,
  hsm,
  keyName,
  now,
}: {
  session: PortalSession;
  hsm: string;
  keyName: string;
  now: number;
}) {
  if (!hasPermission(session.roles, "backups.read")) notFound();
  const backups = await holding(hsm, keyName);
  if (backups.length === 0) notFound();
  const canRestore = hasPermission(session.roles, "requests.file");
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/keys" className="underline-offset-4 hover:underline">
          Keys
        </Link>{" "}
        / {hsm}
      </nav>
      <PageHeader
        title={keyName}
        description={`Gone from ${hsm}: the key is no longer in the HSM (purged), but backups hold it.`}
      />
      <Card>
        <CardHeader>
          <CardTitle>In backups</CardTitle>
          <CardDescription>
            The good backups that hold this key, newest first, with the versions each holds.
            {canRestore
              ? " Restoring brings the key back with all the versions of the backup you pick, once approved."
              : ""}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <BackupsTable
            hsm={hsm}
            keyName={keyName}
            backups={backups}
            canRestore={canRestore}
            now={now}
          />
        </CardContent>
      </Card>
    </>
  );
}
