import type { OutOfBandView } from "@/lib/out-of-band/service";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";

import { ExplainForm } from "./explain-form";

/*
 * Out-of-band changes as a table: what changed, before → after, when first seen, and, for those
 * who may explain them, the form to do so. Auditors see the same rows without the button (the
 * API refuses them anyway).
 */

const shown = (value: Record<string, unknown> | null) =>
  value === null ? "—" : JSON.stringify(value);

export function OutOfBandTable({
  changes,
  now,
  canExplain,
  showHsm = true,
}: {
  changes: OutOfBandView[];
  now: number;
  canExplain: boolean;
  showHsm?: boolean;
}) {
  return (
    <Table scrollLabel="Changes found behind the portal's back">
      <TableHeader>
        <TableRow>
          {showHsm ? <TableHead>HSM</TableHead> : null}
          <TableHead>What changed</TableHead>
          <TableHead>Before → after</TableHead>
          <TableHead>First seen</TableHead>
          {canExplain ? <TableHead className="sr-only">Explain</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {changes.map((change) => (
          <TableRow key={change.id}>
            {showHsm ? <TableCell>{change.hsm}</TableCell> : null}
            <TableCell className="max-w-72 min-w-40 break-words whitespace-normal">
              {change.key && change.subjectKind === "key" ? (
                <a
                  href={`/keys/${encodeURIComponent(change.hsm)}/${encodeURIComponent(change.subjectName)}`}
                  className="underline-offset-4 hover:underline"
                >
                  {change.summary}
                </a>
              ) : (
                change.summary
              )}
            </TableCell>
            <TableCell className="max-w-sm font-mono text-xs break-all whitespace-normal">
              {shown(change.before)} → {shown(change.after)}
            </TableCell>
            <TableCell>
              <When value={change.firstSeenAt} now={now} withTime />
            </TableCell>
            {canExplain ? (
              <TableCell className="text-right">
                <ExplainForm id={change.id} summary={change.summary} />
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
