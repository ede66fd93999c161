import type { DirectorySnapshot } from "@/lib/directory/store";
import { formatRelative } from "@/lib/format/date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { When } from "@/components/data-table/date-text";

/** Says when names come from an old or missing directory read; nothing when all is well. */
export function DirectoryBanner({
  status,
  now,
}: {
  status: DirectorySnapshot["status"];
  now: number;
}) {
  if (status.lastSuccessAt === null)
    return (
      <Alert className="mb-4" role="status">
        <AlertTitle>Principal names are not looked up yet</AlertTitle>
        <AlertDescription>
          {status.lastError
            ? `The directory could not be read: ${status.lastError}`
            : "The directory is read after the next sync; until then principals show as object ids."}
        </AlertDescription>
      </Alert>
    );
  if (status.lastError && (status.lastAttemptAt ?? 0) > status.lastSuccessAt)
    return (
      <Alert className="mb-4" variant="warning" role="status">
        <AlertTitle>
          Names and groups as of{" "}
          <When value={status.lastSuccessAt} now={now} withTime relative="inline" />
        </AlertTitle>
        <AlertDescription>
          The last directory read failed ({formatRelative(status.lastAttemptAt ?? now, now)}):{" "}
          {status.lastError}
        </AlertDescription>
      </Alert>
    );
  return null;
}
