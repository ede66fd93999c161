import type { Metadata } from "next";

import { listOwnSessions } from "@/lib/auth/account";
import { requirePermission } from "@/lib/auth/current-session";
import {
  hasPermission,
  PERMISSIONS,
  permissionsOf,
  PORTAL_ROLES,
  portalRoles,
} from "@/lib/auth/permissions";
import { formatUtc } from "@/lib/format/date";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Fact, FactList } from "@/components/layout/fact-list";
import { PageHeader } from "@/components/layout/page-header";

import { SessionsTable } from "./sessions-table";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const session = await requirePermission("account.read");
  const sessions = await listOwnSessions(session);
  const roles = portalRoles(session.roles);
  const facts: [string, string][] = [
    ["Name", session.displayName],
    ["Username", session.username],
    ["Object id", session.userOid],
    ["Tenant", session.tenantId],
    ["Signed in", formatUtc(session.createdAt)],
    [
      "Session ends",
      `${formatUtc(Math.min(session.expiresAt, session.idleExpiresAt))} at the latest`,
    ],
  ];

  return (
    <>
      <PageHeader
        title="Your account"
        description="Who Keyward knows you as, what you may do, and where you are signed in."
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
            <CardDescription>From your sign-in with the identity provider.</CardDescription>
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
        <Card>
          <CardHeader>
            <CardTitle>Roles and permissions</CardTitle>
            <CardDescription>
              Assigned to you in Microsoft Entra ID; they take effect at your next sign-in.
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4 text-sm">
            <ul className="space-y-2">
              {roles.map((role) => (
                <li key={role}>
                  <span className="font-medium">{PORTAL_ROLES[role].label}</span>
                  <span className="text-muted-foreground"> — {PORTAL_ROLES[role].description}</span>
                </li>
              ))}
            </ul>
            <div>
              <h3 className="mb-2 font-medium">You may</h3>
              <ul className="list-disc space-y-1 pl-5 text-muted-foreground">
                {[...permissionsOf(session.roles)].map((permission) => (
                  <li key={permission}>{PERMISSIONS[permission]}</li>
                ))}
              </ul>
            </div>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Where you are signed in</CardTitle>
            <CardDescription>
              Sessions end after a period without activity and at the latest a fixed time after
              sign-in. End any you do not recognise.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <SessionsTable
              sessions={sessions}
              canEnd={hasPermission(session.roles, "account.sessions.end")}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
