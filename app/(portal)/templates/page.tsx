import type { Metadata, Route } from "next";
import Link from "next/link";
import { PencilIcon, PlusIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { templateTerms } from "@/lib/templates/describe";
import { keyTemplatesRead } from "@/lib/templates/service";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { When } from "@/components/data-table/date-text";
import { Fact, FactList } from "@/components/layout/fact-list";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Key templates" };

/**
 * The key team's templates: what application teams may make keys from, and on what terms.
 * Everyone reads them; the key team changes them through template.upsert requests.
 */
export default async function TemplatesPage() {
  const session = await requirePermission("inventory.read");
  const { templates, now } = await keyTemplatesRead();
  const canChange = hasPermission(session.roles, "requests.file");

  return (
    <>
      <PageHeader
        title="Key templates"
        description="What application teams may make keys from: each template fixes the key's type, operations, rotation, longest life, tags, name and approvals."
      >
        {canChange ? (
          <Link href="/templates/edit" className={buttonVariants({ size: "sm" })}>
            <PlusIcon aria-hidden />
            New template
          </Link>
        ) : null}
      </PageHeader>
      {templates.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          There is no key template yet{canChange ? ": make the first with New template" : ""}.
        </p>
      ) : (
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
          {templates.map(({ template, updatedAt, updatedByRequest }) => (
            <Card key={template.name} data-template={template.name}>
              <CardHeader>
                <CardTitle className="flex flex-wrap items-center justify-between gap-2">
                  <span>{template.title}</span>
                  {canChange ? (
                    <Link
                      href={`/templates/edit?name=${encodeURIComponent(template.name)}` as Route}
                      className={buttonVariants({ variant: "outline", size: "sm" })}
                      aria-label={`Change ${template.title}`}
                    >
                      <PencilIcon aria-hidden />
                      Change
                    </Link>
                  ) : null}
                </CardTitle>
                <CardDescription>
                  <span className="font-mono">{template.name}</span> · changed{" "}
                  <When value={updatedAt} now={now} relative="inline" />{" "}
                  {updatedByRequest === "seed" ? (
                    "by the demo seed"
                  ) : (
                    <>
                      by{" "}
                      <a href={`/requests/${updatedByRequest}`} className="ui-link underline">
                        a request
                      </a>
                    </>
                  )}
                </CardDescription>
              </CardHeader>
              <CardContent>
                <FactList>
                  {templateTerms(template)
                    .filter(([label]) => label !== "Title")
                    .map(([label, words]) => (
                      <Fact key={label} term={label}>
                        {words}
                      </Fact>
                    ))}
                </FactList>
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
