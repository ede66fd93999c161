import type { Metadata, Route } from "next";
import { DownloadIcon } from "lucide-react";

import { principalLabel, principalOf } from "@/lib/access/model";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { formatUtc } from "@/lib/format/date";
import { countBySeverity, RULES } from "@/lib/sod/engine";
import { filterFindings, findingFiltersSchema } from "@/lib/sod/findings";
import { settingChanges, sodState } from "@/lib/sod/service";
import { SEVERITIES } from "@/lib/sod/types";
import { readSearchParams, toSearchQuery } from "@/lib/validation/search-params";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DirectoryBanner } from "@/components/access/directory-banner";
import { FindingsByRule } from "@/components/access/findings-by-rule";
import { SEVERITY_LABELS, SeverityBadge } from "@/components/access/severity-badge";
import { FilterForm, FilterSelect } from "@/components/data-table/filter-field";
import { PageHeader } from "@/components/layout/page-header";

import { RuleSettingForm } from "./rule-setting-form";

export const metadata: Metadata = { title: "Separation of duties" };

export default async function SodPage({ searchParams }: PageProps<"/sod">) {
  const session = await requirePermission("access.read");
  const filters = readSearchParams(findingFiltersSchema, await searchParams);
  const state = await sodState();
  const findings = filterFindings(state.findings, filters);
  const counts = countBySeverity(findings);
  const canConfigure = hasPermission(session.roles, "sod.configure");
  const changes = await settingChanges(20);
  const filtered = Object.values(filters).some(Boolean);
  const hsms = [...new Set(state.model.roles.map((r) => r.hsm))].sort();
  const exportHref = (format: "csv" | "json") =>
    `/api/sod/findings${toSearchQuery({ ...filters, format })}` as Route;

  return (
    <>
      <PageHeader
        title="Separation of duties"
        description="Where Microsoft's guidance for Managed HSM (groups for administrators, least privilege, per-key assignments, one role per principal) and Keyward's own four-eyes rule are not met."
      >
        <div className="flex gap-2">
          <a href={exportHref("csv")} className={buttonVariants({ variant: "outline" })} download>
            <DownloadIcon aria-hidden />
            Export CSV
          </a>
          <a href={exportHref("json")} className={buttonVariants({ variant: "outline" })} download>
            <DownloadIcon aria-hidden />
            Export JSON
          </a>
        </div>
      </PageHeader>
      <DirectoryBanner status={state.directory} now={state.now} />
      {filtered ? (
        <p className="mb-4 text-sm" role="status">
          Showing findings
          {filters.hsm ? ` in ${filters.hsm}` : ""}
          {filters.key ? ` affecting key ${filters.key}` : ""}
          {filters.principal
            ? ` about ${principalLabel(principalOf(state.model, filters.principal.toLowerCase()))}`
            : ""}
          {filters.severity ? ` of ${filters.severity} severity` : ""}
          {filters.rule ? ` from rule ${filters.rule}` : ""}.{" "}
          <a href="/sod" className="underline underline-offset-4">
            Show all
          </a>
        </p>
      ) : null}
      <FilterForm action="/sod" label="Filter findings">
        <FilterSelect
          name="hsm"
          label="HSM"
          value={filters.hsm}
          options={hsms.map((hsm) => [hsm, hsm] as const)}
        />
        <FilterSelect
          name="severity"
          label="Severity"
          value={filters.severity}
          options={SEVERITIES.map((severity) => [severity, SEVERITY_LABELS[severity]] as const)}
        />
        <FilterSelect
          name="rule"
          label="Rule"
          value={filters.rule}
          options={RULES.map((rule) => [rule.id, rule.title] as const)}
        />
        {filters.principal ? (
          <input type="hidden" name="principal" value={filters.principal} />
        ) : null}
        {filters.key ? <input type="hidden" name="key" value={filters.key} /> : null}
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <a href="/sod" className={buttonVariants({ variant: "ghost" })}>
            Clear
          </a>
        </div>
      </FilterForm>
      <ul aria-label="Findings by severity" className="mb-6 flex flex-wrap gap-3">
        {SEVERITIES.map((severity) => (
          <li key={severity}>
            <a
              href={`/sod${toSearchQuery({ ...filters, severity })}`}
              className="flex items-center gap-2 rounded-lg border px-3 py-2 text-sm hover:bg-accent"
            >
              <SeverityBadge severity={severity} />
              <span className="text-lg font-semibold tabular-nums">{counts[severity]}</span>
            </a>
          </li>
        ))}
      </ul>
      <FindingsByRule findings={findings} />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Rules</CardTitle>
          <CardDescription>
            {canConfigure
              ? "Switch a rule off or re-grade it; every change is recorded with your name."
              : "Key administrators can switch rules off or re-grade them; every change is recorded."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul aria-label="Rules" className="flex flex-col divide-y">
            {RULES.map((rule) => {
              const setting = state.settings.rules[rule.id];
              return (
                <li
                  key={rule.id}
                  className="flex flex-wrap items-center justify-between gap-3 py-3"
                >
                  <div className="min-w-64 flex-1">
                    <p className="font-medium">{rule.title}</p>
                    <p className="text-xs text-muted-foreground">
                      {rule.id}
                      {rule.id === "administrator-count"
                        ? ` · at most ${state.settings.params.maxAdministrators}`
                        : ""}
                    </p>
                  </div>
                  {canConfigure ? (
                    <RuleSettingForm
                      ruleId={rule.id}
                      title={rule.title}
                      setting={setting}
                      maxAdministrators={
                        rule.id === "administrator-count"
                          ? state.settings.params.maxAdministrators
                          : undefined
                      }
                    />
                  ) : (
                    <span className="flex items-center gap-2 text-sm">
                      {setting.enabled ? <SeverityBadge severity={setting.severity} /> : "Off"}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Changes to the rules</CardTitle>
        </CardHeader>
        <CardContent>
          {changes.length === 0 ? (
            <p className="text-sm text-muted-foreground">The rules have their default settings.</p>
          ) : (
            <ul aria-label="Changes to the rules" className="flex flex-col gap-1 text-sm">
              {changes.map((change) => (
                <li key={change.id}>
                  <time dateTime={new Date(change.changedAt).toISOString()}>
                    {formatUtc(change.changedAt)}
                  </time>{" "}
                  — {change.changedByName} set “{change.ruleTitle}” to{" "}
                  {change.after.enabled ? change.after.severity : "off"}
                  {change.after.maxAdministrators !== undefined
                    ? ` (at most ${change.after.maxAdministrators})`
                    : ""}
                  , was {change.before.enabled ? change.before.severity : "off"}
                  {change.before.maxAdministrators !== undefined
                    ? ` (at most ${change.before.maxAdministrators})`
                    : ""}
                  .
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}
