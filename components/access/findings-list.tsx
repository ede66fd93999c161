import { RULES_BY_ID } from "@/lib/sod/engine";
import type { Finding } from "@/lib/sod/types";
import { Badge } from "@/components/ui/badge";
import { explorerHref } from "@/components/access/principal-name";
import { SeverityBadge } from "@/components/access/severity-badge";
import { KeyNameLink } from "@/components/hsm/key-href";

/** Findings as a list: what, who, where, which keys, and the fix in words. */
export function FindingsList({ findings, label }: { findings: readonly Finding[]; label: string }) {
  if (findings.length === 0)
    return <p className="text-sm text-muted-foreground">No separation-of-duties findings.</p>;
  return (
    <ul aria-label={label} className="flex flex-col gap-3">
      {findings.map((finding) => {
        const rule = RULES_BY_ID.get(finding.ruleId);
        return (
          <li
            key={finding.id}
            className="rounded-lg border p-3 text-sm"
            data-finding={finding.ruleId}
          >
            <div className="mb-1 flex flex-wrap items-center gap-2">
              <SeverityBadge severity={finding.severity} />
              <span className="font-medium">{rule?.title}</span>
              {finding.hsm ? (
                <Badge variant="outline">{finding.hsm}</Badge>
              ) : (
                <Badge variant="outline">Portal roles</Badge>
              )}
            </div>
            <p>{finding.summary}</p>
            <dl className="mt-2 grid gap-x-4 gap-y-1 text-xs text-muted-foreground sm:grid-cols-[8rem_minmax(0,1fr)]">
              {finding.principals.length > 0 ? (
                <>
                  <dt>Principals</dt>
                  <dd className="flex flex-wrap gap-x-2">
                    {finding.principals.map((p) => (
                      <a
                        key={p.id}
                        href={explorerHref(p.id)}
                        className="underline-offset-4 hover:underline"
                      >
                        {p.label}
                      </a>
                    ))}
                  </dd>
                </>
              ) : null}
              {finding.roles.length > 0 ? (
                <>
                  <dt>Roles</dt>
                  <dd>{finding.roles.join(", ")}</dd>
                </>
              ) : null}
              {finding.scopes.length > 0 ? (
                <>
                  <dt>Scopes</dt>
                  <dd className="font-mono break-words">{finding.scopes.join(", ")}</dd>
                </>
              ) : null}
              {finding.hsm && (finding.keys.all || finding.keys.names.length > 0) ? (
                <>
                  <dt>Keys affected</dt>
                  <dd className="flex flex-wrap gap-x-2">
                    {finding.keys.all
                      ? `Every key in ${finding.hsm}`
                      : finding.keys.names.map((name) => (
                          <KeyNameLink key={name} hsm={finding.hsm!} name={name} />
                        ))}
                  </dd>
                </>
              ) : null}
              <dt>How to fix</dt>
              <dd className="text-foreground">{rule?.fix}</dd>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
