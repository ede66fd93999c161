import type { Route } from "next";

import { principalLabel } from "@/lib/access/model";
import { grantChoices } from "@/lib/access/service";
import { keyAccess } from "@/lib/access/views";
import { grantEnds } from "@/lib/grants/service";
import type { RequestKind } from "@/lib/requests/kind-names";
import type { ApprovalPolicy } from "@/lib/requests/policy";
import { findingsForKey } from "@/lib/sod/findings";
import { sodState } from "@/lib/sod/service";
import { toSearchQuery } from "@/lib/validation/search-params";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { ActionsDetails } from "@/components/access/actions-details";
import { FindingsList } from "@/components/access/findings-list";
import { GrantCountdown } from "@/components/access/grant-countdown";
import { GrantDialog } from "@/components/access/grant-dialog";
import { PrincipalName } from "@/components/access/principal-name";
import { RevokeDialog } from "@/components/access/revoke-dialog";
import { FindingsBadge } from "@/components/access/severity-badge";

const SCOPE_LABELS: Record<string, string> = { "/": "Whole HSM", "/keys": "All keys" };

/**
 * Who reaches this key and what each can do with it, directly or through groups, with the
 * assignment behind each permission; and, for those who may see them, the separation-of-duties
 * findings that touch the key. Those who may file change requests grant a role on the key, and
 * revoke the assignments made on the key itself, from here.
 */
export async function KeyAccess({
  hsm,
  keyName,
  showFindings,
  policies,
}: {
  hsm: string;
  keyName: string;
  showFindings: boolean;
  /** The live approval policies, for those who may file change requests; null for the others. */
  policies: Record<RequestKind, ApprovalPolicy> | null;
}) {
  const [state, grants] = await Promise.all([sodState(), grantEnds(hsm)]);
  const keyLower = keyName.toLowerCase();
  const keyScope = `/keys/${keyLower}`;
  const rows = keyAccess(state.model, hsm, keyLower);
  const choices = policies ? grantChoices(state.model) : null;
  const grantable = choices && {
    hsms: choices.hsms.filter((h) => h.name === hsm),
    principals: choices.principals,
  };
  const findings = showFindings ? findingsForKey(state.findings, hsm, keyLower) : [];
  return (
    <>
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Who can use or manage this key
            {showFindings ? (
              <FindingsBadge
                findings={findings}
                href={`/sod${toSearchQuery({ hsm, key: keyLower })}` as Route}
              />
            ) : null}
          </CardTitle>
          <CardDescription>
            Effective permissions per principal: every role assignment that reaches the key (on the
            whole HSM, on all keys or on this key), also through group membership.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {policies && grantable && grantable.hsms.length > 0 ? (
            <div className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-2">
              <GrantDialog
                choices={grantable}
                policy={policies["role-assignment.create"]}
                fixed={{ hsm, keyName }}
              />
              <p className="text-xs text-muted-foreground">
                Assignments on this key are revoked here, on the row of the principal that holds
                them (a group&apos;s on the group&apos;s row); those on the whole HSM or on all keys
                from{" "}
                <a
                  href={`/access${toSearchQuery({ hsm, scope: "hsm" })}`}
                  className="ui-link underline"
                >
                  Access
                </a>
                .
              </p>
            </div>
          ) : null}
          {rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">No role assignment reaches this key.</p>
          ) : (
            <Table scrollLabel="Role assignments">
              <TableHeader>
                <TableRow>
                  <TableHead>Principal</TableHead>
                  <TableHead>Can</TableHead>
                  <TableHead>Through</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.principal.id}>
                    <TableCell className="min-w-44 whitespace-normal">
                      <PrincipalName principal={row.principal} link={showFindings} />
                    </TableCell>
                    <TableCell className="min-w-44 whitespace-normal">
                      <ActionsDetails can={row.can} actions={row.actions} />
                    </TableCell>
                    <TableCell className="min-w-56 whitespace-normal">
                      <ul className="flex flex-col gap-1">
                        {row.grants.map((grant) => (
                          <li key={grant.assignmentName} className="flex items-start gap-1.5">
                            <Badge variant={SCOPE_LABELS[grant.scope] ? "secondary" : "default"}>
                              {SCOPE_LABELS[grant.scope] ?? "This key"}
                            </Badge>
                            <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                              <span>
                                {grant.roleName}{" "}
                                <span className="text-muted-foreground">
                                  {grant.via ? `through ${principalLabel(grant.via)}` : "directly"}
                                </span>
                              </span>
                              {grants.ends.has(`${hsm}/${grant.assignmentName}`) ? (
                                <GrantCountdown
                                  endsAt={grants.ends.get(`${hsm}/${grant.assignmentName}`)!}
                                  now={grants.now}
                                />
                              ) : null}
                              {policies && !grant.via && grant.scope === keyScope ? (
                                <RevokeDialog
                                  assignment={{
                                    hsm,
                                    name: grant.assignmentName,
                                    principal: principalLabel(row.principal),
                                    roleName: grant.roleName,
                                    scope: grant.scope,
                                  }}
                                  policy={policies["role-assignment.delete"]}
                                />
                              ) : null}
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
      {showFindings ? (
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Separation of duties</CardTitle>
            <CardDescription>Findings that affect this key.</CardDescription>
          </CardHeader>
          <CardContent>
            <FindingsList findings={findings} label="Findings for this key" />
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}
