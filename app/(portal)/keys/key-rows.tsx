"use client";

import type { GroupLabel } from "@/lib/directory/group-labels";
import type { DateView } from "@/lib/format/date";
import type { SelectedKey } from "@/lib/requests/bulk-drafts";
import { Badge, type BadgeView } from "@/components/ui/badge";
import { TableBody, TableCell, TableRow } from "@/components/ui/table";
import { GroupName } from "@/components/access/group-name";
import { DateText } from "@/components/data-table/date-text";
import { KeyNameLink } from "@/components/hsm/key-href";

import { SelectKeyCheckbox } from "./bulk/key-selection";

/** One row of the keys table, formatted on the server. */
export interface KeyRow {
  hsm: string;
  name: string;
  type: string;
  state: BadgeView;
  expires: DateView | null;
  versions: number | null;
  /** The next rotation date, or the policy's state when there is none. */
  rotation: DateView | BadgeView;
  owner: GroupLabel | null;
  updated: DateView;
  policyState: SelectedKey["policyState"];
}

/*
 * A client component on purpose: the server hands over 25 small row objects instead of the
 * element tree of 25 rows, which the RSC payload would carry a second time next to the HTML.
 */
export function KeyRows({ rows, selectable }: { rows: KeyRow[]; selectable: boolean }) {
  return (
    <TableBody>
      {rows.map((row) => (
        <TableRow key={`${row.hsm}/${row.name}`}>
          {selectable ? (
            <TableCell className="w-6 pr-0">
              <SelectKeyCheckbox
                keyRef={{ hsm: row.hsm, name: row.name, policyState: row.policyState }}
              />
            </TableCell>
          ) : null}
          <TableCell className="min-w-40 font-medium text-pretty break-words whitespace-normal">
            <KeyNameLink hsm={row.hsm} name={row.name} />
          </TableCell>
          <TableCell className="text-muted-foreground">{row.hsm}</TableCell>
          <TableCell>{row.type}</TableCell>
          <TableCell>
            <Badge variant={row.state.variant}>{row.state.label}</Badge>
          </TableCell>
          <TableCell>
            {row.expires ? (
              <DateText view={row.expires} />
            ) : (
              <span className="text-muted-foreground">Never</span>
            )}
          </TableCell>
          <TableCell className="text-right tabular-nums">{row.versions ?? "—"}</TableCell>
          <TableCell>
            {"iso" in row.rotation ? (
              <DateText view={row.rotation} />
            ) : (
              <Badge variant={row.rotation.variant}>{row.rotation.label}</Badge>
            )}
          </TableCell>
          {row.owner ? (
            <TableCell className="min-w-36 whitespace-normal">
              <GroupName label={row.owner} />
            </TableCell>
          ) : (
            <TableCell className="text-muted-foreground">—</TableCell>
          )}
          <TableCell>
            <DateText view={row.updated} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  );
}
