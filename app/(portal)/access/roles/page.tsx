import type { Metadata } from "next";

import { describeAction, effectiveActions, summariseActions } from "@/lib/access/actions";
import { accessState } from "@/lib/access/service";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { approvalPolicies } from "@/lib/requests/service";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { AccessTabs } from "@/components/access/access-tabs";
import { PageHeader } from "@/components/layout/page-header";

import { DeleteRoleDialog } from "./delete-role-dialog";
import { RoleEditorDialog } from "./role-editor-dialog";

export const metadata: Metadata = { title: "Role definitions" };

export default async function RolesPage() {
  const session = await requirePermission("access.read");
  // Only those who may file change requests are shown the editor (and its approval policies).
  const canFile = hasPermission(session.roles, "requests.file");
  const [state, policies] = await Promise.all([accessState(), canFile ? approvalPolicies() : null]);
  const hsms = [...new Set(state.model.roles.map((r) => r.hsm))].sort();

  return (
    <>
      <PageHeader
        title="Access"
        description="The roles each HSM defines, built-in and custom, with what their data actions allow in plain words."
      />
      <AccessTabs current="/access/roles" />
      {hsms.length === 0 ? (
        <p className="text-sm text-muted-foreground">No role definitions have been synced yet.</p>
      ) : null}
      {hsms.map((hsm) => (
        <section key={hsm} aria-labelledby={`roles-${hsm}`} className="mb-8">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
            <h2 id={`roles-${hsm}`} className="text-lg font-semibold">
              {hsm}
            </h2>
            {policies ? (
              <RoleEditorDialog
                hsm={hsm}
                role={null}
                approvals={policies["role-definition.upsert"].approvals}
              />
            ) : null}
          </div>
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {state.model.roles
              .filter((role) => role.hsm === hsm)
              .sort(
                (a, b) =>
                  a.roleType.localeCompare(b.roleType) || a.roleName.localeCompare(b.roleName),
              )
              .map((role) => {
                const actions = effectiveActions(role.dataActions, role.notDataActions);
                const assigned = state.model.assignments.filter(
                  (a) => a.hsm === hsm && a.roleDefinitionId === role.id,
                ).length;
                const custom = role.roleType === "CustomRole";
                return (
                  <Card key={role.id}>
                    <CardHeader>
                      <CardTitle className="flex flex-wrap items-center gap-2">
                        {role.roleName}
                        <Badge variant={custom ? "warning" : "outline"}>
                          {custom ? "Custom" : "Built-in"}
                        </Badge>
                      </CardTitle>
                      <CardDescription>
                        {summariseActions(actions).join(", ") || "no data actions"} · {assigned}{" "}
                        assignment{assigned === 1 ? "" : "s"} ·{" "}
                        <span className="font-mono">{role.id}</span>
                      </CardDescription>
                    </CardHeader>
                    <CardContent>
                      <ul className="list-disc pl-5 text-sm">
                        {[...actions].sort().map((action) => (
                          <li key={action}>
                            {describeAction(action)}{" "}
                            <span className="font-mono text-xs text-muted-foreground">
                              {action}
                            </span>
                          </li>
                        ))}
                      </ul>
                      {role.notDataActions.length > 0 ? (
                        <p className="mt-2 text-xs text-muted-foreground">
                          Excluded: {role.notDataActions.map(describeAction).join(", ")}
                        </p>
                      ) : null}
                      {policies && custom ? (
                        <div className="mt-4 flex flex-wrap gap-2 border-t pt-4">
                          <RoleEditorDialog
                            hsm={hsm}
                            role={role}
                            approvals={policies["role-definition.upsert"].approvals}
                          />
                          <DeleteRoleDialog
                            hsm={hsm}
                            role={role}
                            assigned={assigned}
                            approvals={policies["role-definition.delete"].approvals}
                          />
                        </div>
                      ) : null}
                    </CardContent>
                  </Card>
                );
              })}
          </div>
        </section>
      ))}
    </>
  );
}
