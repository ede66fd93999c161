import type { GroupLabel } from "@/lib/directory/group-labels";
import { dateView } from "@/lib/format/date";
import { filtersToQuery, type KeyFilters } from "@/lib/inventory/filters";
import type { InventoryKey } from "@/lib/inventory/keys";
import type { RequestKind } from "@/lib/requests/kind-names";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import type { BadgeView } from "@/components/ui/badge";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { SortHeader } from "@/components/data-table/sort-header";
import { keyState } from "@/components/hsm/key-state-badge";
import { keyTypeLabel } from "@/components/hsm/key-type";

import { BulkActions, type MatchingKeys } from "./bulk/bulk-actions";
import { KeySelection, SelectPageCheckbox } from "./bulk/key-selection";
import { KeyRows, type KeyRow } from "./key-rows";

const POLICY_BADGES: Record<InventoryKey["policyState"], BadgeView> = {
  rotates: { label: "Rotates", variant: "success" },
  "expiry-only": { label: "Expiry only", variant: "secondary" },
  none: { label: "None", variant: "warning" },
  unknown: { label: "Not read yet", variant: "outline" },
};

function keyRow(key: InventoryKey, owners: ReadonlyMap<string, GroupLabel>, now: number): KeyRow {
  return {
    hsm: key.hsm,
    name: key.name,
    type: keyTypeLabel(key),
    state: keyState({ ...key, now }),
    expires: key.expiresAt === null ? null : dateView(key.expiresAt, now),
    versions: key.versionCount,
    rotation:
      key.nextRotationAt === null
        ? POLICY_BADGES[key.policyState]
        : dateView(key.nextRotationAt, now),
    owner:
      key.owner === null ? null : (owners.get(key.owner) ?? { id: key.owner, status: "unknown" }),
    updated: dateView(key.updatedAt, now),
    policyState: key.policyState,
  };
}

/**
 * The keys of one page. For those who file change requests (`bulk`), each row has a box to
 * tick, and the bar above the table changes every ticked key with one request.
 */
export function KeysTable({
  items,
  filters,
  owners,
  now,
  bulk,
}: {
  items: InventoryKey[];
  filters: KeyFilters;
  owners: ReadonlyMap<string, GroupLabel>;
  now: number;
  bulk: { matching: MatchingKeys; policies: Record<RequestKind, ApprovalPolicy> } | null;
}) {
  const sortHref = (field: KeyFilters["sort"]) =>
    `/keys${filtersToQuery(filters, { sort: field, dir: filters.sort === field && filters.dir === "asc" ? "desc" : "asc", page: 1 })}`;
  const header = (field: KeyFilters["sort"], label: string, className?: string) => (
    <SortHeader
      id={`sort-${field}`}
      label={label}
      active={filters.sort === field}
      dir={filters.dir}
      href={sortHref(field)}
      className={className}
    />
  );
  const table = (
    <Table scrollLabel="Keys">
      <TableHeader>
        <TableRow>
          {bulk ? (
            <TableHead className="w-6 pr-0">
              <SelectPageCheckbox />
            </TableHead>
          ) : null}
          {header("name", "Name")}
          {header("hsm", "HSM")}
          {header("type", "Type")}
          <TableHead>State</TableHead>
          {header("expires", "Expires")}
          {header("versions", "Versions", "text-right")}
          {header("rotation", "Next rotation", "whitespace-normal")}
          <TableHead>Owner</TableHead>
          {header("updated", "Updated")}
        </TableRow>
      </TableHeader>
      <KeyRows rows={items.map((key) => keyRow(key, owners, now))} selectable={bulk !== null} />
    </Table>
  );
  if (!bulk) return table;
  return (
    // Keyed by the filter: the selection lasts while paging and starts afresh on a new filter.
    <KeySelection
      key={bulk.matching.query}
      pageKeys={items.map(({ hsm, name, policyState }) => ({ hsm, name, policyState }))}
    >
      <BulkActions matching={bulk.matching} policies={bulk.policies} now={now} />
      {table}
    </KeySelection>
  );
}
