import type { Metadata, Route } from "next";
import Link from "next/link";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { freshnessOfHsms } from "@/lib/backup/page-data";
import { filtersToQuery, readKeyFilters } from "@/lib/inventory/filters";
import { inventoryContext, inventoryOverview } from "@/lib/inventory/service";
import { sodState } from "@/lib/sod/service";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FindingsBadge } from "@/components/access/severity-badge";
import { FreshnessLine } from "@/components/backups/freshness-line";
import { When } from "@/components/data-table/date-text";
import { FreshnessBanners } from "@/components/hsm/freshness-banners";
import { SyncButton } from "@/components/hsm/sync-button";
import { PageHeader } from "@/components/layout/page-header";
import { OpenChangesCard } from "@/components/out-of-band/open-changes-card";

import { SyncRunsTable } from "./sync-runs-table";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, href }: { label: string; value: number; href?: string }) {
  const number = (
    <span className="text-2xl font-semibold tabular-nums">{value.toLocaleString("en")}</span>
  );
  return (
    <div className="flex flex-col gap-0.5">
      <span className="text-xs text-muted-foreground">{label}</span>
      {href && value > 0 ? (
        <Link
          href={href as Route}
          className="rounded-sm underline-offset-4 outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          {number}
        </Link>
      ) : (
        number
      )}
    </div>
  );
}

export default async function OverviewPage() {
  const session = await requirePermission("inventory.read");
  const context = await inventoryContext(session);
  const { summaries, states, runs } = await inventoryOverview(context);
  const canSync = hasPermission(session.roles, "inventory.sync");
  const sod = hasPermission(session.roles, "access.read") ? (await sodState()).findings : null;
  const backups = hasPermission(session.roles, "backups.read")
    ? await freshnessOfHsms(context.now)
    : null;
  const keysLink = (hsm: string, changes: Record<string, string>) =>
    `/keys${filtersToQuery(readKeyFilters({ hsm, ...changes }))}`;

  return (
    <>
      <PageHeader
        title="Overview"
        description={
          context.visibility.all
            ? "Every HSM this portal manages, as of its last sync."
            : "The keys your groups own, per HSM, as of its last sync."
        }
      >
        {sod ? (
          <div className="flex items-center gap-2 text-sm">
            <a href="/sod" className="underline-offset-4 hover:underline">
              Separation of duties
            </a>
            <FindingsBadge findings={sod} href={"/sod"} />
            {sod.length === 0 ? <span className="text-muted-foreground">no findings</span> : null}
          </div>
        ) : null}
      </PageHeader>
      <FreshnessBanners freshness={context.freshness} />
      <OpenChangesCard roles={session.roles} now={context.now} className="mb-6" />
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        {context.hsms.map((hsm) => {
          const summary = summaries.find((s) => s.hsm === hsm.name);
          const state = states.find((s) => s.name === hsm.name);
          const backup = backups?.find((b) => b.hsm === hsm.name);
          return (
            <Card key={hsm.name} role="region" aria-labelledby={`hsm-${hsm.name}`}>
              <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 flex-[1_1_16rem] space-y-1">
                  <CardTitle id={`hsm-${hsm.name}`}>{hsm.name}</CardTitle>
                  <CardDescription>
                    {hsm.region} · security domain{" "}
                    <Badge
                      variant={state?.security_domain === "activated" ? "success" : "secondary"}
                    >
                      {state?.security_domain ?? "unknown"}
                    </Badge>
                  </CardDescription>
                  <p className="text-xs text-muted-foreground">
                    {state?.last_success_at ? (
                      <>
                        Last synced{" "}
                        <When
                          value={state.last_success_at}
                          now={context.now}
                          withTime
                          relative="inline"
                        />
                      </>
                    ) : (
                      "Not synced yet"
                    )}
                  </p>
                  {backup ? (
                    <a href="/backups" className="block rounded-md hover:underline">
                      <FreshnessLine freshness={backup} className="text-xs" />
                    </a>
                  ) : null}
                </div>
                {canSync ? <SyncButton hsm={hsm.name} label="Sync now" /> : null}
              </CardHeader>
              <CardContent className="grid grid-cols-2 gap-4 sm:grid-cols-4">
                <Stat label="Keys" value={summary?.total ?? 0} href={keysLink(hsm.name, {})} />
                <Stat
                  label="RSA"
                  value={summary?.byFamily.RSA ?? 0}
                  href={keysLink(hsm.name, { type: "RSA" })}
                />
                <Stat
                  label="EC"
                  value={summary?.byFamily.EC ?? 0}
                  href={keysLink(hsm.name, { type: "EC" })}
                />
                <Stat
                  label="AES"
                  value={summary?.byFamily.oct ?? 0}
                  href={keysLink(hsm.name, { type: "oct" })}
                />
                <Stat
                  label="Disabled"
                  value={summary?.disabled ?? 0}
                  href={keysLink(hsm.name, { enabled: "no" })}
                />
                <Stat
                  label="Expired"
                  value={summary?.expired ?? 0}
                  href={keysLink(hsm.name, { expiry: "expired" })}
                />
                <Stat
                  label="Expiring within 30 days"
                  value={summary?.expiringSoon ?? 0}
                  href={keysLink(hsm.name, { expiry: "30d" })}
                />
                <Stat label="Without automatic rotation" value={summary?.withoutRotation ?? 0} />
                <Stat
                  label="Soft-deleted"
                  value={summary?.deleted ?? 0}
                  href={`/deleted-keys?hsm=${encodeURIComponent(hsm.name)}`}
                />
                {sod ? (
                  <Stat
                    label="Separation-of-duties findings"
                    value={sod.filter((f) => f.hsm === hsm.name).length}
                    href={`/sod?hsm=${encodeURIComponent(hsm.name)}`}
                  />
                ) : null}
              </CardContent>
            </Card>
          );
        })}
      </div>
      {context.visibility.all ? (
        <Card className="mt-6" role="region" aria-labelledby="recent-syncs">
          <CardHeader>
            <CardTitle id="recent-syncs">Recent syncs</CardTitle>
            <CardDescription>What each sync read from the HSMs and what it cost.</CardDescription>
          </CardHeader>
          <CardContent>
            <SyncRunsTable runs={runs} now={context.now} />
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}
