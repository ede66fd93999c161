import type { Metadata } from "next";

import { requirePermission } from "@/lib/auth/current-session";
import { deletedKeysOf, inventoryContext } from "@/lib/inventory/service";
import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { When } from "@/components/data-table/date-text";
import { FreshnessBanners } from "@/components/hsm/freshness-banners";
import { KeyNameLink } from "@/components/hsm/key-href";
import { keyTypeLabel } from "@/components/hsm/key-type";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Deleted keys" };

const DAY_MS = 86_400_000;

export default async function DeletedKeysPage({ searchParams }: PageProps<"/deleted-keys">) {
  const session = await requirePermission("inventory.read");
  const { hsm } = await searchParams;
  const context = await inventoryContext(session);
  const onlyHsm =
    typeof hsm === "string" && context.hsms.some((h) => h.name === hsm) ? hsm : undefined;
  const keys = await deletedKeysOf(context, onlyHsm);

  return (
    <>
      <PageHeader
        title="Deleted keys"
        description={`Soft-deleted keys${onlyHsm ? ` in ${onlyHsm}` : ""}: recoverable until their scheduled purge date, then gone for good.`}
      />
      <FreshnessBanners freshness={context.freshness} />
      {keys.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No soft-deleted keys{onlyHsm ? ` in ${onlyHsm}` : ""}.
        </p>
      ) : (
        <Table scrollLabel="Deleted keys">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>HSM</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Deleted</TableHead>
              <TableHead>Purge scheduled</TableHead>
              <TableHead className="text-right">Days left</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((key) => {
              const daysLeft =
                key.scheduledPurgeAt === null
                  ? null
                  : Math.max(0, Math.ceil((key.scheduledPurgeAt - context.now) / DAY_MS));
              return (
                <TableRow key={`${key.hsm}/${key.name}`}>
                  <TableCell className="font-medium">
                    <KeyNameLink hsm={key.hsm} name={key.name} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">{key.hsm}</TableCell>
                  <TableCell>{keyTypeLabel(key)}</TableCell>
                  <TableCell>
                    <When value={key.deletedAt} now={context.now} />
                  </TableCell>
                  <TableCell>
                    <When value={key.scheduledPurgeAt} now={context.now} empty="Unknown" />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {daysLeft === null ? (
                      "—"
                    ) : daysLeft <= 7 ? (
                      <Badge variant="destructive">{daysLeft}</Badge>
                    ) : (
                      daysLeft
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}
