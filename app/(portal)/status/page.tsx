import type { Metadata } from "next";

import { requirePermission } from "@/lib/auth/current-session";
import { getEnv } from "@/lib/env";
import { checkDependencies } from "@/lib/health/checks";
import { portalFacts } from "@/lib/health/status";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Fact, FactList } from "@/components/layout/fact-list";
import { PageHeader } from "@/components/layout/page-header";

import { DependencyTable } from "./dependency-table";

export const metadata: Metadata = { title: "Status" };

export default async function StatusPage() {
  await requirePermission("status.read");
  const env = getEnv();
  const checks = await checkDependencies();
  const failing = checks.filter((check) => check.status === "fail").length;

  const facts = portalFacts();

  return (
    <>
      <PageHeader
        title="System status"
        description="What this portal runs on, and whether each service it depends on answers right now."
      />
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
