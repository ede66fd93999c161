import { filtersToQuery, type KeyFilters } from "@/lib/inventory/filters";
import type { InventoryKey } from "@/lib/inventory/keys";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { CellDate } from "@/components/data-table/cell-date";
import { SortHeader } from "@/components/data-table/sort-header";
import { KeyNameLink } from "@/components/hsm/key-href";
import { KeyStateBadge } from "@/components/hsm/key-state-badge";
import { keyTypeLabel } from "@/components/hsm/key-type";

const POLICY_BADGES = {
  rotates: { label: "Rotates", variant: "success" },
  "expiry-only": { label: "Expiry only", variant: "secondary" },
  none: { label: "None", variant: "warning" },
  unknown: { label: "Not read yet", variant: "outline" },
} as const;

export function KeysTable({
  items,
  filters,
  now,
}: {
  items: InventoryKey[];
  filters: KeyFilters;
  now: number;
}) {
  const sortHref = (field: KeyFilters["sort"]) =>
    `/keys${filtersToQuery(filters, { sort: field, dir: filters.sort === field && filters.dir === "asc" ? "desc" : "asc", page: 1 })}`;
  const header = (field: KeyFilters["sort"], label: string, className?: string) => (
    <SortHeader
      label={label}
      active={filters.sort === field}
      dir={filters.dir}
      href={sortHref(field)}
      className={className}
    />
  );
  return (
    <Table scrollLabel="Keys">
      <TableHeader>
        <TableRow>
          {header("name", "Name")}
          {header("hsm", "HSM")}
          {header("type", "Type")}
          <TableHead>State</TableHead>
          {header("expires", "Expires")}
          {header("versions", "Versions", "text-right")}
          {header("rotation", "Next rotation")}
          <TableHead>Owner</TableHead>
          {header("updated", "Updated")}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((key) => {
          const policy = POLICY_BADGES[key.policyState];
          return (
            <TableRow key={`${key.hsm}/${key.name}`}>
              <TableCell className="max-w-80 truncate font-medium">
                <KeyNameLink hsm={key.hsm} name={key.name} />
              </TableCell>
              <TableCell className="text-muted-foreground">{key.hsm}</TableCell>
              <TableCell>{keyTypeLabel(key)}</TableCell>
              <TableCell>
                <KeyStateBadge
                  enabled={key.enabled}
                  expiresAt={key.expiresAt}
                  notBefore={key.notBefore}
                  now={now}
                />
              </TableCell>
              <TableCell>
                <CellDate value={key.expiresAt} now={now} empty="Never" />
              </TableCell>
              <TableCell className="text-right tabular-nums">{key.versionCount ?? "—"}</TableCell>
              <TableCell>
                {key.nextRotationAt !== null ? (
                  <CellDate value={key.nextRotationAt} now={now} />
                ) : (
                  <Badge variant={policy.variant}>{policy.label}</Badge>
                )}
              </TableCell>
              {key.owner ? (
                <TableCell className="max-w-40 truncate font-mono text-xs" title={key.owner}>
                  {key.owner.slice(0, 8)}
                </TableCell>
              ) : (
                <TableCell className="text-muted-foreground">—</TableCell>
              )}
              <TableCell>
                <CellDate value={key.updatedAt} now={now} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
