import type { Metadata, Route } from "next";

import { principalLabel, principalOf, type Principal } from "@/lib/access/model";
import { pickablePrincipals, principalReach } from "@/lib/access/views";
import { requirePermission } from "@/lib/auth/current-session";
import { findingsForPrincipal } from "@/lib/sod/findings";
import { sodState } from "@/lib/sod/service";
import { toSearchQuery } from "@/lib/validation/search-params";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { AccessTabs } from "@/components/access/access-tabs";
import { ActionsDetails } from "@/components/access/actions-details";
import { DirectoryBanner } from "@/components/access/directory-banner";
import { FindingsList } from "@/components/access/findings-list";
import { kindLabel, PrincipalName } from "@/components/access/principal-name";
import { FindingsBadge } from "@/components/access/severity-badge";
import { FilterField } from "@/components/data-table/filter-field";
import { KeyNameLink } from "@/components/hsm/key-href";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Access explorer" };

const GROUP_LABELS: Record<Principal["kind"], string> = {
  user: "Users",
  group: "Groups",
  servicePrincipal: "Service principals",
  unknown: "Unknown or deleted",
};

export default async function ExplorerPage({ searchParams }: PageProps<"/access/explorer">) {
  await requirePermission("access.read");
  const { principal: picked } = await searchParams;
  const state = await sodState();
  const choices = pickablePrincipals(state.model);
  const principalId = typeof picked === "string" ? picked.toLowerCase() : undefined;
  const principal = principalId ? principalOf(state.model, principalId) : undefined;
  const reach = principalId ? principalReach(state.model, principalId) : [];
  const findings = principalId ? findingsForPrincipal(state.findings, principalId) : [];
  const memberOf = principalId
    ? [...state.model.groupMembers]
        .filter(([, members]) => members.includes(principalId))
        .map(([groupId]) => principalOf(state.model, groupId))
    : [];
  const members =
    principalId && principal?.kind === "group"
      ? (state.model.groupMembers.get(principalId) ?? []).map((id) => principalOf(state.model, id))
      : [];

  return (
    <>
      <PageHeader
        title="Access"
        description="Pick a user, group or service principal: every key they reach and what they can do with it, directly and through groups."
      />
      <AccessTabs current="/access/explorer" />
      <DirectoryBanner status={state.directory} now={state.now} />
      <form
        method="get"
        action="/access/explorer"
        aria-label="Pick a principal"
        className="mb-6 flex flex-wrap items-end gap-3 rounded-lg border p-4"
      >
        <FilterField label="Principal" htmlFor="pick-principal">
          <NativeSelect id="pick-principal" name="principal" defaultValue={principalId ?? ""}>
            <NativeSelectOption value="" disabled>
              Choose…
            </NativeSelectOption>
            {(["user", "group", "servicePrincipal", "unknown"] as const).map((kind) => {
              const options = choices.filter((c) => c.kind === kind);
              return options.length === 0 ? null : (
                <optgroup key={kind} label={GROUP_LABELS[kind]}>
                  {options.map((choice) => (
                    <NativeSelectOption key={choice.id} value={choice.id}>
                      {principalLabel(choice)}
                      {choice.detail ? ` (${choice.detail})` : ""}
                    </NativeSelectOption>
                  ))}
                </optgroup>
              );
            })}
          </NativeSelect>
        </FilterField>
        <Button type="submit">Show access</Button>
      </form>

      {principal ? (
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                <PrincipalName principal={principal} link={false} />
                <FindingsBadge
                  findings={findings}
                  href={`/sod${toSearchQuery({ principal: principal.id })}` as Route}
                />
              </CardTitle>
              <CardDescription>
                {kindLabel(principal)} · object id <span className="font-mono">{principal.id}</span>
                {memberOf.length > 0
                  ? ` · member of ${memberOf.map((g) => principalLabel(g)).join(", ")}`
                  : ""}
              </CardDescription>
            </CardHeader>
            <CardContent>
              {reach.length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  No role assignment reaches this principal, directly or through a group.
                </p>
              ) : (
                <Table scrollLabel="Keys this principal reaches">
                  <TableHeader>
                    <TableRow>
                      <TableHead>HSM</TableHead>
                      <TableHead>Keys</TableHead>
                      <TableHead>Can</TableHead>
                      <TableHead>Granted by</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {reach.map((row) => (
                      <TableRow key={`${row.hsm}${row.scope}`}>
                        <TableCell className="text-muted-foreground">{row.hsm}</TableCell>
                        <TableCell>
                          {row.keyLower ? (
                            <KeyNameLink hsm={row.hsm} name={row.keyLower} />
                          ) : (
                            <Badge variant="secondary" title={`Assigned at ${row.scope}`}>
                              Every key in {row.hsm}
                            </Badge>
                          )}
                        </TableCell>
                        <TableCell className="min-w-44 whitespace-normal">
                          <ActionsDetails can={row.can} actions={row.actions} />
                        </TableCell>
                        <TableCell className="min-w-52 whitespace-normal">
                          <ul className="flex flex-col gap-1">
                            {row.grants.map((grant) => (
                              <li key={grant.assignmentName}>
                                {grant.roleName}{" "}
                                <span className="text-muted-foreground">
                                  {grant.via ? (
                                    <>
                                      through{" "}
                                      <a
                                        href={`/access/explorer${toSearchQuery({ principal: grant.via.id })}`}
                                        className="underline-offset-4 hover:underline"
                                      >
                                        {principalLabel(grant.via)}
                                      </a>
                                    </>
                                  ) : (
                                    "directly"
                                  )}
                                </span>
                              </li>
                            ))}
                          </ul>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
          {members.length > 0 ? (
            <Card>
              <CardHeader>
                <CardTitle>Members</CardTitle>
                <CardDescription>
                  Everyone in this group, through nested groups too: each holds the access above.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <ul aria-label="Members" className="flex flex-col gap-1 text-sm">
                  {members.map((member) => (
                    <li key={member.id}>
                      <PrincipalName principal={member} />
                    </li>
                  ))}
                </ul>
              </CardContent>
            </Card>
          ) : null}
          <Card>
            <CardHeader>
              <CardTitle>Separation of duties</CardTitle>
            </CardHeader>
            <CardContent>
              <FindingsList findings={findings} label="Findings for this principal" />
            </CardContent>
          </Card>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">
          Choose a principal above; the list holds everyone named by a role assignment and every
          member of an assigned group.
        </p>
      )}
    </>
  );
}
