import type { KeyVersionInfo } from "@/lib/hsm/types";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";
import { KeyStateBadge } from "@/components/hsm/key-state-badge";

export function VersionsTable({
  versions,
  current,
  now,
}: {
  versions: KeyVersionInfo[];
  current: string;
  now: number;
}) {
  // Newest first; versions created in the same second keep the current one on top.
  const ordered = [...versions].sort(
    (a, b) =>
      b.createdOn - a.createdOn || Number(b.version === current) - Number(a.version === current),
  );
  return (
    <Table scrollLabel="Versions">
      <TableHeader>
        <TableRow>
          <TableHead>Version</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Expires</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {ordered.map((version) => (
          <TableRow key={version.version}>
            <TableCell>
              {/* The badge goes under the id when the card is narrow. */}
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-mono text-xs">{version.version.slice(0, 12)}</span>
                {version.version === current ? <Badge variant="secondary">current</Badge> : null}
              </span>
            </TableCell>
            <TableCell>
              <KeyStateBadge
                enabled={version.enabled}
                expiresAt={version.expiresOn}
                notBefore={version.notBefore}
                now={now}
              />
            </TableCell>
            <TableCell>
              <When value={version.createdOn} now={now} />
            </TableCell>
            <TableCell>
              <When value={version.expiresOn} now={now} empty="Never" />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
