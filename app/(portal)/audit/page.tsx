import type { Metadata, Route } from "next";
import { ChevronLeftIcon, ChevronRightIcon, DownloadIcon } from "lucide-react";

import { readAuditPage } from "@/lib/audit/filters";
import { auditLogView } from "@/lib/audit/log";
import { AUDIT_OUTCOMES } from "@/lib/audit/types";
import { requirePermission } from "@/lib/auth/current-session";
import { toSearchQuery } from "@/lib/validation/search-params";
import { Button, buttonVariants } from "@/components/ui/button";
import { AuditEventsTable } from "@/components/audit/audit-events-table";
import { VerificationBanner } from "@/components/audit/verification-banner";
import { FilterForm, FilterSelect, FilterText } from "@/components/data-table/filter-field";
import { PageLink } from "@/components/data-table/page-link";
import { PageHeader } from "@/components/layout/page-header";

import { VerifyButton } from "./verify-button";

export const metadata: Metadata = { title: "Audit log" };

const OUTCOMES = AUDIT_OUTCOMES.map(
  (outcome) => [outcome, outcome[0]!.toUpperCase() + outcome.slice(1)] as const,
);

/** Every action and every prefix of one (`sod.`, `sod.rule.`), for the action field's suggestions. */
function actionSuggestions(actions: string[]): string[] {
  const prefixes = actions.flatMap((action) =>
    action
      .split(".")
      .slice(0, -1)
      .map((_, i, parts) => `${parts.slice(0, i + 1).join(".")}.`),
  );
  return [...new Set([...prefixes, ...actions])].sort();
}

export default async function AuditPage({ searchParams }: PageProps<"/audit">) {
  await requirePermission("audit.read");
  const query = readAuditPage(await searchParams);
  const { before, after, limit, ...filters } = query;
  const { page, actions, verification, now } = await auditLogView(query);
  const filtered = Object.values(filters).some((value) => value !== undefined);
  const href = (cursor: { before?: string; after?: string }) =>
    `/audit${toSearchQuery({ ...filters, limit, ...cursor })}` as Route;
  const exportHref = (format: "csv" | "jsonl") =>
    `/api/audit/export${toSearchQuery({ ...filters, format })}` as Route;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the portal and every refused one, newest first. Each event is chained to the one before by its hash."
      >
        <div className="flex flex-wrap gap-2">
          <a href={exportHref("csv")} className={buttonVariants({ variant: "outline" })} download>
            <DownloadIcon aria-hidden />
            Export CSV
          </a>
          <a href={exportHref("jsonl")} className={buttonVariants({ variant: "outline" })} download>
            <DownloadIcon aria-hidden />
            Export JSON lines
          </a>
        </div>
      </PageHeader>
      <VerificationBanner verification={verification} now={now} action={<VerifyButton />} />
      <FilterForm
        action="/audit"
        label="Filter audit events"
        className="grid grid-cols-2 lg:grid-cols-4"
      >
        <FilterText name="q" label="Search any text" type="search" value={filters.q} />
        <FilterText name="actor" label="Actor (name or id)" value={filters.actor} />
        <FilterText
          name="action"
          label="Action or prefix"
          value={filters.action}
          placeholder="e.g. sod."
          list="audit-actions"
        />
        <datalist id="audit-actions">
          {actionSuggestions(actions).map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <FilterText name="target" label="Target" value={filters.target} />
        <FilterSelect name="outcome" label="Outcome" value={filters.outcome} options={OUTCOMES} />
        <FilterText
          name="from"
          label="From (UTC)"
          value={filters.from}
          placeholder="e.g. 2026-12-01"
        />
        <FilterText name="to" label="To (UTC)" value={filters.to} placeholder="e.g. 2026-12-31" />
        {limit !== undefined ? <input type="hidden" name="limit" value={limit} /> : null}
        <div className="col-span-2 flex gap-2 lg:col-span-1">
          <Button type="submit">Apply filters</Button>
          <a href="/audit" className={buttonVariants({ variant: "ghost" })}>
            Clear
          </a>
        </div>
      </FilterForm>
      {page.events.length === 0 ? (
        <p className="text-sm text-muted-foreground" role="status">
          {filtered ? "No event matches these filters." : "The audit log has no events yet."}
        </p>
      ) : (
        <AuditEventsTable events={page.events} now={now} />
      )}
      <nav
        aria-label="Pages"
        className="flex flex-wrap items-center justify-between gap-3 pt-4 text-sm"
      >
        <p className="text-muted-foreground" aria-live="polite">
          {page.events.length > 0
            ? `Events ${page.events[0]!.seq.toLocaleString("en")} to ${page.events.at(-1)!.seq.toLocaleString("en")}${before === undefined && after === undefined ? ", the newest" : ""}`
            : ""}
        </p>
        <div className="flex gap-2">
          <PageLink href={page.newer === null ? null : href({ after: page.newer })}>
            <ChevronLeftIcon aria-hidden />
            Newer
          </PageLink>
          <PageLink href={page.next === null ? null : href({ before: page.next })}>
            Older
            <ChevronRightIcon aria-hidden />
          </PageLink>
        </div>
      </nav>
    </>
  );
}
