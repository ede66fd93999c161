"use client";

import { DatabaseBackupIcon } from "lucide-react";

import { FULL_RESTORE_WARNING } from "@/lib/backup/restore-rules";
import { formatUtc } from "@/lib/format/date";
import { Button } from "@/components/ui/button";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

const LABEL = "Restore the whole HSM from this backup";

/**
 * "Restore the whole HSM": files `restore.full` after the warning and the HSM's name typed to
 * confirm. Before the backup is 30 minutes old (Managed HSM refuses it) the button is disabled
 * and says from when it is possible.
 */
export function RestoreFullAction({
  hsm,
  runId,
  possibleAt,
  now,
}: {
  hsm: string;
  runId: string;
  possibleAt: number;
  now: number;
}) {
  if (now < possibleAt)
    return (
      <div className="flex flex-col items-start gap-1">
        <Button variant="outline" size="sm" disabled aria-describedby="restore-full-when">
          <DatabaseBackupIcon aria-hidden />
          {LABEL}
        </Button>
        <p id="restore-full-when" className="text-xs text-muted-foreground">
          Possible from {formatUtc(possibleAt)}: Managed HSM restores a backup only once it is 30
          minutes old.
        </p>
      </div>
    );
  return (
    <ActionDialog
      label={LABEL}
      icon={<DatabaseBackupIcon aria-hidden />}
      title={`Restore all of ${hsm} from this backup`}
      description="Every key, role assignment and custom role goes back to what this backup holds."
      variant="destructive"
    >
      <div className="flex flex-col gap-4">
        <div role="note" className="rounded-md border border-destructive/50 p-3 text-sm">
          <p className="font-medium">Before you file this</p>
          <p className="mt-1">{FULL_RESTORE_WARNING}</p>
          <p className="mt-1">It needs two approvals from people other than you.</p>
        </div>
        <RequestForm<never>
          id="restore-full"
          kind="restore.full"
          hsm={hsm}
          build={() => ({ item: { backupRunId: runId } })}
          itemFieldOf={() => null}
          confirmName={hsm}
          destructive
          submitLabel="File the request"
        />
      </div>
    </ActionDialog>
  );
}
