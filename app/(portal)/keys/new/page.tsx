import type { Metadata } from "next";
import Link from "next/link";

import { requirePermission } from "@/lib/auth/current-session";
import { inventoryContext, ownerGroupOptions } from "@/lib/inventory/service";
import { approvalPolicies } from "@/lib/requests/service";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/layout/page-header";

import { NewKeyForm } from "./new-key-form";

export const metadata: Metadata = { title: "New key" };

export default async function NewKeyPage() {
  const session = await requirePermission("requests.file");
  const context = await inventoryContext(session);
  const [owners, policies] = await Promise.all([ownerGroupOptions(), approvalPolicies()]);
  const approvals = policies["key.create"].approvals;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-muted-foreground">
        <Link href="/keys" className="underline-offset-4 hover:underline">
          Keys
        </Link>{" "}
        / New key
      </nav>
      <PageHeader
        title="New key"
        description={`Files a request to create the key; it is made once ${approvals === 1 ? "an approver approves" : `${approvals} approvers approve`}.`}
      />
      <Card className="max-w-3xl">
        <CardContent>
          <NewKeyForm hsms={context.hsms.map((h) => h.name)} owners={owners} now={context.now} />
        </CardContent>
      </Card>
    </>
  );
}
