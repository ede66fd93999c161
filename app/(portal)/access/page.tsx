import type { Metadata, Route } from "next";
import { DownloadIcon } from "lucide-react";

import { assignmentFiltersSchema } from "@/lib/access/filters";
import { principalLabel } from "@/lib/access/model";
import { grantChoices } from "@/lib/access/service";
import { assignmentRows } from "@/lib/access/views";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { grantEnds } from "@/lib/grants/service";
import { approvalPolicies } from "@/lib/requests/service";
import { findingsForAssignment } from "@/lib/sod/findings";
import { sodState } from "@/lib/sod/service";
import { readSearchParams, toSearchQuery } from "@/lib/validation/search-params";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { AccessTabs } from "@/components/access/access-tabs";
import { DirectoryBanner } from "@/components/access/directory-banner";
import { GrantCountdown } from "@/components/access/grant-countdown";
import { GrantDialog } from "@/components/access/grant-dialog";
import { PrincipalName } from "@/components/access/principal-name";
import { RevokeDialog } from "@/components/access/revoke-dialog";
import { FindingsBadge } from "@/components/access/severity-badge";
import { FilterForm, FilterSelect, FilterText } from "@/components/data-table/filter-field";
import { KeyNameLink } from "@/components/hsm/key-href";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Role assignments" };

const SCOPES = [
  ["hsm", "Whole HSM (/ and /keys)"],
  ["key", "One key"],
] as const;
const KINDS: [string, string][] = [
  ["user", "Users"],
  ["group", "Groups"],
  ["servicePrincipal", "Service principals"],
  ["unknown", "Unknown or deleted"],
];

export default async function AssignmentsPage({ searchParams }: PageProps<"/access">) {
  const session = await requirePermission("access.read");
  const filters = readSearchParams(assignmentFiltersSchema, await searchParams);
  // Only those who may file change requests are shown the changes (and their forms' data).
  const [state, policies, grants] = await Promise.all([
    sodState(),
    hasPermission(session.roles, "requests.file") ? approvalPolicies() : null,
    grantEnds(),
  ]);
  const choices = policies ? grantChoices(state.model) : null;
  const rows = assignmentRows(state.model, filters);
  const hsms = [...new Set(state.model.assignments.map((a) => a.hsm))].sort();
  const roleNames = [...new Set(state.model.roles.map((r) => r.roleName))].sort();

  return (
    <>
      <PageHeader
        title="Access"
        description="Every role assignment in every HSM, with who the principal is, as of each HSM's last sync."
      >
        <div className="flex flex-wrap gap-2">
          {policies && choices && choices.hsms.length > 0 ? (
            <GrantDialog
              choices={choices}
              policy={policies["role-assignment.create"]}
              initialHsm={filters.hsm}
            />
          ) : null}
          <a
            href={`/api/access/assignments/export${toSearchQuery(filters)}` as Route}
            className={buttonVariants({ variant: "outline" })}
            download
          >
            <DownloadIcon aria-hidden />
            Export CSV
          </a>
        </div>
      </PageHeader>
      <AccessTabs current="/access" />
      <DirectoryBanner status={state.directory} now={state.now} />
      <FilterForm action="/access" label="Filter role assignments">
        <FilterText
          name="q"
          label="Search principal, role or scope"
          type="search"
          value={filters.q}
        />
        <FilterSelect
          name="hsm"
          label="HSM"
          value={filters.hsm}
          options={hsms.map((hsm) => [hsm, hsm] as const)}
        />
        <FilterSelect
          name="role"
          label="Role"
          value={filters.role}
          options={roleNames.map((role) => [role, role] as const)}
        />
        <FilterSelect name="kind" label="Principal kind" value={filters.kind} options={KINDS} />
        <FilterSelect name="scope" label="Scope" value={filters.scope} options={SCOPES} />
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <a href="/access" className={buttonVariants({ variant: "ghost" })}>
            Clear
          </a>
        </div>
      </FilterForm>
      <p className="mb-2 text-sm text-muted-foreground" role="status">
        {rows.length} of {state.model.assignments.length} role assignments
      </p>
      {rows.length === 0 ? (
        <p className="text-sm text-muted-foreground">No role assignment matches these filters.</p>
      ) : (
        <Table scrollLabel="Role assignments">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              <TableHead>Principal</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Scope</TableHead>
              <TableHead>Findings</TableHead>
              {policies ? (
                <TableHead>
                  <span className="sr-only">Revoke</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => {
              const key = row.scope.startsWith("/keys/") ? row.scope.slice(6) : null;
              const endsAt = grants.ends.get(`${row.hsm}/${row.name}`);
              return (
                <TableRow key={`${row.hsm}/${row.name}`}>
                  <TableCell className="text-muted-foreground">{row.hsm}</TableCell>
                  <TableCell className="min-w-48 whitespace-normal">
                    <PrincipalName principal={row.principal} />
                  </TableCell>
                  <TableCell className="min-w-40 whitespace-normal">
                    {row.roleName}{" "}
                    {row.roleType === "CustomRole" ? <Badge variant="outline">Custom</Badge> : null}
                  </TableCell>
                  <TableCell className="min-w-40 whitespace-normal">
                    <span className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
                      {key ? (
                        <KeyNameLink hsm={row.hsm} name={key} />
                      ) : (
                        <Badge variant="secondary">
                          {row.scope === "/" ? "Whole HSM" : "All keys"}
                        </Badge>
                      )}
                      <span className="font-mono text-xs break-all text-muted-foreground">
                        {row.scope}
                      </span>
                      {endsAt ? <GrantCountdown endsAt={endsAt} now={grants.now} /> : null}
                    </span>
                  </TableCell>
                  <TableCell>
                    <FindingsBadge
                      findings={findingsForAssignment(state.findings, row.hsm, row.name)}
                      href={
                        `/sod${toSearchQuery({ hsm: row.hsm, principal: row.principalId })}` as Route
                      }
                    />
                  </TableCell>
                  {policies ? (
                    <TableCell>
                      <RevokeDialog
                        assignment={{
                          hsm: row.hsm,
                          name: row.name,
                          principal: principalLabel(row.principal),
                          roleName: row.roleName,
                          scope: row.scope,
                        }}
                        policy={policies["role-assignment.delete"]}
                      />
                    </TableCell>
                  ) : null}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}
