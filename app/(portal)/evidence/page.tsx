import type { Metadata } from "next";
import { DownloadIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { evidenceQuerySchema, packFileName } from "@/lib/evidence/period";
import { evidencePageData } from "@/lib/evidence/service";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
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
import { OpenChangesCard } from "@/components/out-of-band/open-changes-card";

export const metadata: Metadata = { title: "Evidence" };

const DAY_MS = 86_400_000;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/*
 * The auditor's evidence pack: choose a period and HSMs, the page checks them, and the download
 * link fetches the signed ZIP from /api/evidence (which records the export). Past exports come
 * from the audit log.
 */
export default async function EvidencePage({ searchParams }: PageProps<"/evidence">) {
  const session = await requirePermission("evidence.export");
  const params = await searchParams;
  const { hsms, exports, now } = await evidencePageData();
  const chosen = {
    from: first(params.from) ?? day(now - 90 * DAY_MS),
    to: first(params.to) ?? day(now),
    hsm: [params.hsm ?? []].flat().filter((h) => hsms.includes(h)),
  };
  const asked = params.from !== undefined || params.to !== undefined;
  const parsed = asked ? evidenceQuerySchema.safeParse(chosen) : null;

  return (
    <>
      <PageHeader
        title="Evidence"
        description="A signed evidence pack for a period: the key inventory with cryptoperiods, who can use each key, separation-of-duties findings, rotation compliance, every change request, backups and the audit log, with a manifest signed by the audit key."
      />
      <form
        action="/evidence"
        method="get"
        aria-label="Evidence pack"
        className="mb-6 flex flex-col gap-4 rounded-lg border p-4"
      >
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:max-w-xl">
          <label className="flex flex-col gap-1.5 text-xs font-medium text-muted-foreground">
            From (UTC)
            <Input type="date" name="from" defaultValue={chosen.from} required />
          </label>
          <label className="flex flex-col gap-1.5 text-xs font-medium text-muted-foreground">
            To, inclusive (UTC)
            <Input type="date" name="to" defaultValue={chosen.to} required />
          </label>
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-xs font-medium text-muted-foreground">
            HSMs (none ticked: every HSM)
          </legend>
          <div className="flex flex-wrap gap-4">
            {hsms.map((hsm) => (
              <label key={hsm} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="hsm"
                  value={hsm}
                  defaultChecked={chosen.hsm.includes(hsm)}
                  className="size-4"
                />
                {hsm}
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <Button type="submit" variant={parsed?.success ? "outline" : "default"}>
            Prepare pack
          </Button>
        </div>
      </form>
      {parsed && !parsed.success ? (
        <div role="alert" className="mb-6 rounded-lg border border-destructive p-4 text-sm">
          <p className="font-medium">This period cannot be exported:</p>
          <ul className="mt-1 list-disc pl-5">
            {parsed.error.issues.map((issue) => (
              <li key={`${issue.path.join(".")}-${issue.message}`}>
                {issue.path.join(".") || "period"} {issue.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {parsed?.success ? (
        <section aria-label="Ready to download" className="mb-8 rounded-lg border p-4 text-sm">
          <p className="mb-3">
            {packFileName(parsed.data)}: {day(parsed.data.from)} to {day(parsed.data.to - 1)},{" "}
            {parsed.data.hsms.length > 0 ? parsed.data.hsms.join(", ") : "every HSM"}. The download
            is recorded in the audit log.
          </p>
          <a
            href={`/api/evidence?${new URLSearchParams([
              ["from", chosen.from],
              ["to", chosen.to],
              ...chosen.hsm.map((hsm) => ["hsm", hsm]),
            ]).toString()}`}
            className={buttonVariants()}
            download
          >
            <DownloadIcon aria-hidden />
            Download evidence pack
          </a>
        </section>
      ) : null}
      <OpenChangesCard roles={session.roles} now={now} className="mb-6" />
      <h2 className="mb-2 text-base font-semibold">Recent exports</h2>
      {exports.length === 0 ? (
        <p className="text-sm text-muted-foreground" role="status">
          No evidence pack has been exported yet.
        </p>
      ) : (
        <Table scrollLabel="Recent exports">
          <TableHeader>
            <TableRow>
              <TableHead>Exported (UTC)</TableHead>
              <TableHead>By</TableHead>
              <TableHead>Period</TableHead>
              <TableHead>HSMs</TableHead>
              <TableHead>Outcome</TableHead>
              <TableHead className="text-right">Audit event</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {exports.map((pack) => (
              <TableRow key={pack.seq}>
                <TableCell>
                  <When value={pack.at} now={now} withTime />
                </TableCell>
                <TableCell>{pack.by}</TableCell>
                <TableCell>
                  {pack.from.slice(0, 10)} to {day(Date.parse(pack.to) - 1)}
                </TableCell>
                <TableCell>{pack.hsms.join(", ")}</TableCell>
                <TableCell>{pack.outcome === "succeeded" ? "Exported" : "Failed"}</TableCell>
                <TableCell className="text-right tabular-nums">{pack.seq}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
