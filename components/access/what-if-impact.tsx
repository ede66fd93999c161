"use client";

import { ShieldAlertIcon } from "lucide-react";

import { impactSummary } from "@/lib/sod/impact-summary";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { FindingsList } from "@/components/access/findings-list";

import { useWhatIf, type WhatIfChange } from "./use-what-if";

function Findings({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h4 className="font-medium">{title}</h4>
      {children}
    </section>
  );
}

/**
 * What a role-assignment change would do to the separation-of-duties findings, asked live while
 * the form is filled in. The one-line summary is announced; the lists below it are not.
 */
export function WhatIfImpact({
  change,
  waiting,
}: {
  /** Null until the form holds a complete change. */
  change: WhatIfChange | null;
  /** What the person still has to give before the impact can be computed. */
  waiting: string;
}) {
  const state = useWhatIf(change);
  const summary = state.status === "done" ? impactSummary(state.impact) : null;
  return (
    <section
      aria-label="Separation-of-duties impact"
      aria-busy={state.status === "loading"}
      className="flex min-w-0 flex-col gap-3 rounded-md border bg-muted/40 p-3 text-sm"
    >
      <h3 className="font-medium">Separation-of-duties impact</h3>
      <p role="status" className={state.status === "failed" ? "text-destructive" : undefined}>
        {state.status === "idle"
          ? waiting
          : state.status === "loading"
            ? "Working out the impact…"
            : state.status === "failed"
              ? `The impact could not be worked out: ${state.message} You can still file the request; approvers see the impact worked out again when they review it.`
              : summary!.words}
      </p>
      {state.status === "done" ? (
        <>
          {summary!.criticalAdded > 0 ? (
            <Alert variant="destructive" role="note">
              <ShieldAlertIcon aria-hidden />
              <AlertTitle>
                {summary!.criticalAdded === 1
                  ? "It adds a critical finding"
                  : `It adds ${summary!.criticalAdded} critical findings`}
              </AlertTitle>
              <AlertDescription>
                An approver can approve it only by acknowledging the finding with a reason.
              </AlertDescription>
            </Alert>
          ) : null}
          {state.impact.added.length > 0 ? (
            <Findings title={`Findings it adds (${state.impact.added.length})`}>
              <FindingsList findings={state.impact.added} label="Findings it adds" />
            </Findings>
          ) : null}
          {state.impact.resolved.length > 0 ? (
            <Findings title={`Findings it resolves (${state.impact.resolved.length})`}>
              <FindingsList findings={state.impact.resolved} label="Findings it resolves" />
            </Findings>
          ) : null}
          {state.impact.changed.length > 0 ? (
            <Findings title={`Findings it changes (${state.impact.changed.length})`}>
              <FindingsList
                findings={state.impact.changed.map((c) => c.after)}
                label="Findings it changes, as they would be"
              />
            </Findings>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
