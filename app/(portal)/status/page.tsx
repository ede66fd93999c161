import type { Metadata } from "next";
import { z } from "zod";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { portalDoctor } from "@/lib/doctor/portal-doctor";
import { summaryOf } from "@/lib/doctor/report";
import { getEnv } from "@/lib/env";
import { formatUtc } from "@/lib/format/date";
import { checkDependencies } from "@/lib/health/checks";
import { portalFacts } from "@/lib/health/status";
import { readSearchParams } from "@/lib/validation/search-params";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Fact, FactList } from "@/components/layout/fact-list";
import { LinkTabs } from "@/components/layout/link-tabs";
import { PageHeader } from "@/components/layout/page-header";

import { DependencyTable } from "./dependency-table";
import { SetupChecks } from "./setup-checks";

export const metadata: Metadata = { title: "Status" };

const statusQuery = z.object({ tab: z.enum(["setup"]).optional() });

export default async function StatusPage({ searchParams }: PageProps<"/status">) {
  const session = await requirePermission("status.read");
  const canSetup = hasPermission(session.roles, "status.setup");
  const setup = canSetup && readSearchParams(statusQuery, await searchParams).tab === "setup";
  return (
    <>
      <PageHeader
        title="System status"
        description="What this portal runs on, and whether each service it depends on answers right now."
      />
      {canSetup ? (
        <LinkTabs
          label="Status views"
          tabs={[
            { href: "/status", label: "Dependencies", current: !setup },
            { href: "/status?tab=setup", label: "Setup", current: setup },
          ]}
        />
      ) : null}
      {setup ? <SetupTab /> : <DependenciesTab />}
    </>
  );
}

async function SetupTab() {
  const { value: report, at } = await portalDoctor();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Setup checks</CardTitle>
        <CardDescription>
          The configuration checked end to end as the portal&apos;s own identity, as{" "}
          <code>npm run doctor</code> checks it: {summaryOf(report.checks)} Checked {formatUtc(at)};
          a new check runs at most every 30 seconds.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <SetupChecks checks={report.checks} />
      </CardContent>
    </Card>
  );
}

async function DependenciesTab() {
  const env = getEnv();
  const checks = await checkDependencies();
  const failing = checks.filter((check) => check.status === "fail").length;
  const facts = portalFacts();
  return (
    <>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Dependencies</CardTitle>
            <CardDescription>
              {failing === 0
                ? "Every configured dependency answered."
                : `${failing} of ${checks.length} dependencies did not answer.`}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DependencyTable checks={checks} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Portal</CardTitle>
          </CardHeader>
          <CardContent>
            <FactList>
              {facts.map(([term, value]) => (
                <Fact key={term} term={term}>
                  {value}
                </Fact>
              ))}
            </FactList>
          </CardContent>
        </Card>
        {env.mode === "azure" ? (
          <Card className="lg:col-span-3">
            <CardHeader>
              <CardTitle>Managed HSMs</CardTitle>
              <CardDescription>The HSMs this portal is configured to manage.</CardDescription>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-2 text-sm sm:grid-cols-2">
                {env.hsms.map((hsm) => (
                  <li key={hsm.name} className="rounded-md border p-3">
                    <div className="font-medium">{hsm.name}</div>
                    <div className="text-muted-foreground">{hsm.region}</div>
                    <div className="truncate font-mono text-xs">{hsm.url}</div>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        ) : null}
      </div>
    </>
  );
}
