import type { Metadata } from "next";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { backupsByHsm, runHistory, scheduleDefaults } from "@/lib/backup/page-data";
import { OUTCOME_OPTIONS, readRunFilters } from "@/lib/backup/run-filters";
import { Button, buttonVariants } from "@/components/ui/button";
import { HsmBackupsCard } from "@/components/backups/hsm-backups-card";
import { RunHistory } from "@/components/backups/run-history";
import { FilterForm, FilterSelect } from "@/components/data-table/filter-field";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Backups" };

export default async function BackupsPage({ searchParams }: PageProps<"/backups">) {
  const session = await requirePermission("backups.read");
  const { now, hsms } = await backupsByHsm();
  const filters = readRunFilters(
    await searchParams,
    hsms.map((h) => h.hsm),
  );
  const runs = await runHistory(filters);
  const canRun = hasPermission(session.roles, "backups.run");
  const canFile = hasPermission(session.roles, "requests.file");
  const defaults = scheduleDefaults();
  const filtered = filters.hsm !== undefined || filters.outcome !== undefined;

  return (
    <>
      <PageHeader
        title="Backups"
        description="Full backups of each HSM into blob storage: how fresh the last good one is, the schedules, and every run."
      />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        {hsms.map((backups) => (
          <HsmBackupsCard
            key={backups.hsm}
            backups={backups}
            now={now}
            canRun={canRun}
            canFile={canFile}
            defaults={defaults}
          />
        ))}
      </div>
      <section aria-labelledby="run-history" className="mt-8">
        <h2 id="run-history" className="mb-3 text-lg font-semibold">
          Run history
        </h2>
        <FilterForm action="/backups" label="Filter backup runs">
          <FilterSelect
            name="hsm"
            label="HSM"
            value={filters.hsm}
            options={hsms.map((h) => [h.hsm, h.hsm] as const)}
          />
          <FilterSelect
            name="outcome"
            label="Outcome"
            value={filters.outcome}
            options={OUTCOME_OPTIONS}
          />
          <div className="flex gap-2">
            <Button type="submit">Apply filters</Button>
            <a href="/backups" className={buttonVariants({ variant: "ghost" })}>
              Clear
            </a>
          </div>
        </FilterForm>
        {runs.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {filtered ? "No backup runs match these filters." : "No backup has run yet."}
          </p>
        ) : (
          <RunHistory runs={runs} now={now} />
        )}
      </section>
    </>
  );
}
