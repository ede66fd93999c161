import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { runParams } from "@/lib/backup/api-shapes";
import { fullRestorePossibleAt } from "@/lib/backup/restore-rules";
import type { BackupRun } from "@/lib/backup/runs";
import { getRun, runCatalogue } from "@/lib/backup/service";
import { isAppError } from "@/lib/errors";
import { formatUtc } from "@/lib/format/date";
import { keyStatesNow } from "@/lib/inventory/service";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { RestoreFullAction } from "@/components/backups/restore-full-action";
import { RunAccess } from "@/components/backups/run-access";
import { CATALOGUE_PAGE_SIZE, RunCatalogueTable } from "@/components/backups/run-catalogue";
import { RunFacts } from "@/components/backups/run-header";
import { FilterForm, FilterText } from "@/components/data-table/filter-field";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Backup run" };

/** The run, and the time it was read at, which the page's relative times count from. */
async function runOrNotFound(id: string): Promise<{ run: BackupRun; now: number }> {
  if (!runParams.safeParse({ id }).success) notFound();
  try {
    return { run: await getRun(id), now: Date.now() };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

/** Why a run has no catalogue to show, in words. */
function noCatalogueReason(run: BackupRun): string {
  if (run.state === "running")
    return "This backup is still running: its catalogue is written when it ends.";
  if (run.state === "missed")
    return "This backup was missed (no portal was running at its time), so it holds nothing.";
  if (run.state !== "succeeded")
    return `This backup ${run.state === "failed" ? "failed" : "was interrupted"}, so it holds nothing to restore.`;
  if (run.folderDeletedAt !== null)
    return `Its folder was deleted by retention on ${formatUtc(run.folderDeletedAt)}, and its catalogue with it.`;
  return "Its catalogue could not be read when the backup ended (see the error above).";
}

export default async function BackupRunPage({
  params,
  searchParams,
}: PageProps<"/backups/runs/[id]">) {
  const session = await requirePermission("backups.read");
  const { id } = await params;
  const { key } = await searchParams;
  const filter = typeof key === "string" && key.trim() !== "" ? key.trim() : undefined;
  const { run, now } = await runOrNotFound(id);
  const catalogued =
    run.state === "succeeded" && run.cataloguedAt !== null && run.folderDeletedAt === null;
  const found = catalogued ? await runCatalogue(run.id, { key: filter }) : null;
  const shown = found ? found.catalogue.keys.slice(0, CATALOGUE_PAGE_SIZE) : [];
  const states = await keyStatesNow(
    run.hsm,
    shown.map((k) => k.name),
  );
  const canRestore = hasPermission(session.roles, "requests.file");
  const action = `/backups/runs/${run.id}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href={"/backups"} prefetch={false} className="underline-offset-4 hover:underline">
          Backups
        </Link>{" "}
        / {run.hsm}
      </nav>
      <PageHeader title={`Backup of ${run.hsm}`} description={`Run ${run.id}`}>
        {canRestore && found && run.finishedAt !== null ? (
          <RestoreFullAction
            hsm={run.hsm}
            runId={run.id}
            possibleAt={fullRestorePossibleAt(run.finishedAt)}
            now={now}
          />
        ) : null}
      </PageHeader>
      <Card className="mb-6">
        <CardContent>
          <RunFacts run={run} now={now} />
        </CardContent>
      </Card>
      <section aria-labelledby="catalogue-heading" className="flex flex-col gap-4">
        <h2 id="catalogue-heading" className="text-lg font-semibold">
          What this backup holds
        </h2>
        {found ? (
          <>
            <FilterForm action={action} label="Search the catalogue">
              <FilterText name="key" label="Key name contains" value={filter} type="search" />
              <Button type="submit" variant="outline">
                Search
              </Button>
            </FilterForm>
            <p role="status" className="text-sm text-muted-foreground">
              {found.catalogue.keys.length === 0
                ? filter
                  ? `No key in this backup has a name containing "${filter}".`
                  : "This backup holds no keys."
                : `${found.catalogue.keys.length} key${found.catalogue.keys.length === 1 ? "" : "s"}${filter ? ` matching "${filter}"` : ""}${found.catalogue.keys.length > shown.length ? `; the first ${shown.length} shown, search to narrow` : ""}.`}
            </p>
            {shown.length > 0 ? (
              <RunCatalogueTable
                hsm={run.hsm}
                runId={run.id}
                keys={shown}
                states={states}
                canRestore={canRestore}
              />
            ) : null}
            <RunAccess access={found.catalogue.access} />
          </>
        ) : (
          <p role="status" className="text-sm text-muted-foreground">
            No catalogue: {noCatalogueReason(run)}
          </p>
        )}
      </section>
    </>
  );
}
