import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { requirePermission } from "@/lib/auth/current-session";
import { inventoryContext } from "@/lib/inventory/service";
import { approvalPolicies } from "@/lib/requests/service";
import { keyTemplates } from "@/lib/templates/service";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/layout/page-header";

import { TemplateForm } from "./template-form";

export const metadata: Metadata = { title: "Key template" };

/** New template, or a change of one (`?name=`): files a template.upsert request. */
export default async function EditTemplatePage({ searchParams }: PageProps<"/templates/edit">) {
  const session = await requirePermission("requests.file");
  const name = (await searchParams).name;
  const [context, templates, policies] = await Promise.all([
    inventoryContext(session),
    keyTemplates(),
    approvalPolicies(),
  ]);
  const current =
    typeof name === "string" ? templates.find((t) => t.template.name === name) : undefined;
  if (typeof name === "string" && !current) notFound();
  const approvals = policies["template.upsert"].approvals;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/templates" className="underline-offset-4 hover:underline">
          Key templates
        </Link>{" "}
        / {current ? current.template.name : "New template"}
      </nav>
      <PageHeader
        title={current ? `Change ${current.template.title}` : "New key template"}
        description={`Files a request; the template ${current ? "changes" : "exists"} once ${approvals === 1 ? "an approver approves" : `${approvals} approvers approve`}. Keys already made from it keep what they have.`}
      />
      <Card className="max-w-4xl">
        <CardContent>
          <TemplateForm
            current={current?.template ?? null}
            hsms={context.hsms.map((h) => h.name)}
            now={context.now}
          />
        </CardContent>
      </Card>
    </>
  );
}
