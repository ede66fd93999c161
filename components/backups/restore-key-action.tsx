"use client";

import { ArchiveRestoreIcon } from "lucide-react";

import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

/**
 * "Restore this key": files a `restore.key` request for one key, with all the versions the backup
 * holds. The server refuses it (in words) when the key exists again, live or deleted.
 */
export function RestoreKeyAction({
  hsm,
  runId,
  keyName,
  versionCount,
  label = "Restore this key",
}: {
  hsm: string;
  runId: string;
  keyName: string;
  versionCount: number;
  label?: string;
}) {
  return (
    <ActionDialog
      label={label}
      buttonName={`${label}: ${keyName}`}
      icon={<ArchiveRestoreIcon aria-hidden />}
      title={`Restore ${keyName}`}
      description={`Brings key ${keyName} back into ${hsm} with the ${versionCount === 1 ? "one version" : `${versionCount} versions`} this backup holds. It needs one approval; nothing changes until it is approved and executed.`}
    >
      <RequestForm<never>
        id="restore-key"
        kind="restore.key"
        hsm={hsm}
        build={() => ({ item: { backupRunId: runId, key: keyName } })}
        itemFieldOf={() => null}
        submitLabel="File the request"
      />
    </ActionDialog>
  );
}
