import type { WhatIf } from "@/lib/sod/engine";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FindingsList } from "@/components/access/findings-list";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-medium">{title}</h3>
      {children}
    </section>
  );
}

/**
 * What approving a role-assignment request does to the separation-of-duties findings, computed
 * now against the current assignments (the approver judges today's state, not the filing day's).
 */
export function RequestImpact({ impact }: { impact: WhatIf | null }) {
  const none =
    impact !== null &&
    impact.added.length === 0 &&
    impact.resolved.length === 0 &&
    impact.changed.length === 0;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Separation of duties</CardTitle>
        <CardDescription>
          {impact === null
            ? "The impact is computed while the request is pending; this one is settled."
            : "What the findings would be if these role assignments were made now."}
        </CardDescription>
      </CardHeader>
      {impact === null ? null : (
        <CardContent className="flex flex-col gap-4">
          {none ? (
            <p className="text-sm text-muted-foreground" role="status">
              No finding changes: the request adds, resolves and changes no separation-of-duties
              finding.
            </p>
          ) : null}
          {impact.added.length > 0 ? (
            <Section title={`Findings it adds (${impact.added.length})`}>
              <FindingsList findings={impact.added} label="Findings it adds" />
            </Section>
          ) : null}
          {impact.resolved.length > 0 ? (
            <Section title={`Findings it resolves (${impact.resolved.length})`}>
              <FindingsList findings={impact.resolved} label="Findings it resolves" />
            </Section>
          ) : null}
          {impact.changed.length > 0 ? (
            <Section title={`Findings it changes (${impact.changed.length})`}>
              <FindingsList
                findings={impact.changed.map((c) => c.after)}
                label="Findings it changes, as they would be"
              />
            </Section>
          ) : null}
        </CardContent>
      )}
    </Card>
  );
}
