import type { Metadata } from "next";
import Link from "next/link";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { groupLabelText } from "@/lib/directory/group-labels";
import { inventoryContext, ownerGroupOptions, ownerLabels } from "@/lib/inventory/service";
import { myGroups, templatesToUse } from "@/lib/self-service/service";
import { templateTerms } from "@/lib/templates/describe";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/layout/page-header";

import { TemplateKeyForm } from "./template-key-form";

export const metadata: Metadata = { title: "New key from a template" };

/**
 * "New key from a template": the requester picks a template and fills in only what it leaves
 * open; the key's group is one of theirs (the key team may pick any group).
 */
export default async function NewKeyFromTemplatePage() {
  const session = await requirePermission("requests.fileOwn");
  const context = await inventoryContext(session);
  const anyGroup = hasPermission(session.roles, "requests.file");
  const configured = new Set(context.hsms.map((h) => h.name));
  const [templates, groups] = await Promise.all([
    templatesToUse(),
    anyGroup
      ? ownerGroupOptions().then(async (options) => {
          const labels = await ownerLabels(options.map(([id]) => id));
          return options.map(([id, text]) => {
            const label = labels.get(id);
            return { id, text, name: label?.status === "exists" ? label.name : null };
          });
        })
      : myGroups(session).then((labels) =>
          labels.map((label) => ({
            id: label.id,
            text: groupLabelText(label),
            name: label.status === "exists" ? label.name : null,
          })),
        ),
  ]);
  const usable = templates
    .map((t) => ({ ...t, hsms: t.hsms.filter((h) => configured.has(h)) }))
    .filter((t) => t.hsms.length > 0);

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/my-keys" className="underline-offset-4 hover:underline">
          My keys
        </Link>{" "}
        / New key from a template
      </nav>
      <PageHeader
        title="New key from a template"
        description="The key team's template fixes the key's type, operations, rotation and longest life; you choose the rest."
      />
      <Card className="max-w-3xl">
        <CardContent>
          {usable.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              The key team has published no key template for the HSMs of this portal yet.
            </p>
          ) : groups.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              You are in no group, and a key belongs to a group: ask to be added to your team&apos;s
              group first.
            </p>
          ) : (
            <TemplateKeyForm
              templates={usable.map((template) => ({
                template,
                terms: templateTerms(template),
              }))}
              groups={groups}
            />
          )}
        </CardContent>
      </Card>
    </>
  );
}
