import type { CatalogueKey } from "@/lib/backup/catalogue";
import { formatUtc } from "@/lib/format/date";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { KeyNameLink } from "@/components/hsm/key-href";
import { keyTypeLabel } from "@/components/hsm/key-type";

import { RestoreKeyAction } from "./restore-key-action";

export type KeyStateNow = "live" | "deleted" | "gone";

/** The catalogue rows a page shows at most; a search narrows a large backup. */
export const CATALOGUE_PAGE_SIZE = 100;

const STATE_BADGES = {
  live: <Badge variant="success">In the HSM</Badge>,
  deleted: <Badge variant="warning">Deleted</Badge>,
  gone: <Badge variant="destructive">Gone</Badge>,
} as const;

function VersionList({ versions }: { versions: CatalogueKey["versions"] }) {
  const newestFirst = [...versions].sort((a, b) => b.createdOn - a.createdOn);
  return (
    <details>
      <summary className="cursor-pointer">
        {versions.length === 1 ? "1 version" : `${versions.length} versions`}
      </summary>
      <ul className="mt-1 flex flex-col gap-1 text-xs">
        {newestFirst.map((v) => (
          <li key={v.version}>
            <span className="font-mono break-all">{v.version}</span>
            <span className="text-muted-foreground">
              {" "}
              — {formatUtc(v.createdOn)}
              {v.enabled ? "" : ", disabled"}
              {v.expiresOn !== null ? `, expires ${formatUtc(v.expiresOn)}` : ""}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Tags({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags);
  if (entries.length === 0) return <span className="text-muted-foreground">—</span>;
  // Tag values run long (owner group ids): a wrapped list, not badges cut short.
  return (
    <ul className="flex max-w-64 min-w-40 flex-col gap-0.5 text-xs break-all whitespace-normal">
      {entries.map(([tag, value]) => (
        <li key={tag}>
          <span className="text-muted-foreground">{tag}</span>={value}
        </li>
      ))}
    </ul>
  );
}

/**
 * The keys a backup holds, each with where it stands in the HSM now (from the mirror) and, for
 * the key team, "Restore this key" on a key that is gone; a soft-deleted key is recovered instead.
 */
export function RunCatalogueTable({
  hsm,
  runId,
  keys,
  states,
  canRestore,
}: {
  hsm: string;
  runId: string;
  keys: CatalogueKey[];
  states: Map<string, KeyStateNow>;
  canRestore: boolean;
}) {
  return (
    <Table scrollLabel="Keys in this backup">
      <TableHeader>
        <TableRow>
          <TableHead>Key</TableHead>
          <TableHead>Versions</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Enabled</TableHead>
          <TableHead>Tags</TableHead>
          <TableHead>In the HSM now</TableHead>
          {canRestore ? <TableHead>Restore</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => {
          const state = states.get(key.name) ?? "gone";
          return (
            <TableRow key={key.name}>
              <TableCell className="font-medium">
                {state === "gone" ? key.name : <KeyNameLink hsm={hsm} name={key.name} />}
              </TableCell>
              <TableCell>
                <VersionList versions={key.versions} />
              </TableCell>
              <TableCell>{keyTypeLabel(key.attributes)}</TableCell>
              <TableCell>{key.attributes.enabled ? "Yes" : "No"}</TableCell>
              <TableCell>
                <Tags tags={key.tags} />
              </TableCell>
              <TableCell>{STATE_BADGES[state]}</TableCell>
              {canRestore ? (
                <TableCell>
                  {state === "gone" ? (
                    <RestoreKeyAction
                      hsm={hsm}
                      runId={runId}
                      keyName={key.name}
                      versionCount={key.versions.length}
                    />
                  ) : state === "deleted" ? (
                    <span className="text-sm">
                      Deleted —{" "}
                      <a href={`/deleted-keys?hsm=${encodeURIComponent(hsm)}`} className="ui-link">
                        recover it instead
                      </a>
                    </span>
                  ) : (
                    <span className="text-sm text-muted-foreground">Not needed</span>
                  )}
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
