import type { AssuranceView } from "@/lib/assurance/service";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { VerificationBanner } from "@/components/audit/verification-banner";
import { When } from "@/components/data-table/date-text";

/*
 * The audit chain's last verification (from the audit page, with no "Verify now" here: the
 * auditor's home only reads) and the last evidence pack exported.
 */

const day = (iso: string, offsetMs = 0) =>
  new Date(Date.parse(iso) + offsetMs).toISOString().slice(0, 10);
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export function AuditSection({
  audit,
  canExport,
  now,
}: {
  audit: NonNullable<AssuranceView["audit"]>;
  canExport: boolean;
  now: number;
}) {
  const { verification, status, last, failedSince } = audit;
  return (
    <Card role="region" aria-labelledby="assurance-audit">
      <CardHeader>
        <CardTitle id="assurance-audit">Audit log and evidence</CardTitle>
        <CardDescription>
          Whether the hash chain held when it was last verified, and the last signed evidence pack.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <VerificationBanner
          verification={verification}
          now={now}
          action={
            <a href="/audit" className="font-medium underline underline-offset-4">
              {verification ? "Open the audit log" : "Verify it on the audit log page"}
            </a>
          }
        />
        {status.state !== "never-verified" ? (
          <p data-testid="events-since">
            {status.eventsSince === 0
              ? "No event has been recorded since this verification."
              : `${plural(status.eventsSince, "event has", "events have")} been recorded since this verification.`}
          </p>
        ) : null}
        <div className="flex flex-col gap-1" data-testid="last-evidence-pack">
          <h3 className="font-medium">Last evidence pack</h3>
          {last ? (
            <p>
              Exported <When value={last.at} now={now} withTime relative="inline" /> by {last.by}:{" "}
              {day(last.from)} to {day(last.to, -1)}, {last.hsms.join(", ")} (audit event {last.seq}
              ).
            </p>
          ) : (
            <p className="text-muted-foreground">
              {failedSince > 0
                ? `No evidence pack was exported in full: the last ${plural(failedSince, "attempt")} failed.`
                : "No evidence pack has been exported yet."}
            </p>
          )}
          {last && failedSince > 0 ? (
            <p className="text-destructive">{plural(failedSince, "attempt")} since then failed.</p>
          ) : null}
          {canExport ? (
            <a href="/evidence" className="w-fit font-medium underline underline-offset-4">
              Export an evidence pack
            </a>
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}
