import type { Metadata, Route } from "next";
import Link from "next/link";
import { DownloadIcon, PlusIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { filtersToQuery, readKeyFilters } from "@/lib/inventory/filters";
import { findKeys, inventoryContext, keyFacets, ownerLabels } from "@/lib/inventory/service";
import { matchingRefusal } from "@/lib/requests/bulk-drafts";
import { approvalPolicies } from "@/lib/requests/service";
import { buttonVariants } from "@/components/ui/button";
import { Pagination } from "@/components/data-table/pagination";
import { FreshnessBanners } from "@/components/hsm/freshness-banners";
import { PageHeader } from "@/components/layout/page-header";

import { KeysFilters } from "./keys-filters";
import { KeysTable } from "./keys-table";

export const metadata: Metadata = { title: "Keys" };

export default async function KeysPage({ searchParams }: PageProps<"/keys">) {
  const session = await requirePermission("inventory.read");
  const filters = readKeyFilters(await searchParams);
  const context = await inventoryContext(session);
  // Only those who may file change requests tick keys for a bulk change.
  const canFile = hasPermission(session.roles, "requests.file");
  const [{ items, total }, facets, policies] = await Promise.all([
    findKeys(context, filters),
    keyFacets(context),
    canFile ? approvalPolicies() : null,
  ]);
  // The menu's owners may be up to a facet lifetime old; the rows' owners are labelled too.
  const owners = await ownerLabels([
    ...new Set([...facets.owners, ...items.flatMap((key) => (key.owner ? [key.owner] : []))]),
  ]);

  return (
    <>
      <PageHeader
        title="Keys"
        description={
          context.visibility.all
            ? "Every key in every HSM, as of each HSM's last sync."
            : "The keys your groups own (their owner tag names one of your groups), as of each HSM's last sync."
        }
      >
        <div className="flex flex-wrap gap-2">
          {canFile ? (
            <Link href="/keys/new" className={buttonVariants()}>
              <PlusIcon aria-hidden />
              New key
            </Link>
          ) : null}
          <Link
            href={
              `/api/keys/export${filtersToQuery(filters, { page: undefined, pageSize: undefined })}` as Route
            }
            className={buttonVariants({ variant: "outline" })}
            prefetch={false}
            download
          >
            <DownloadIcon aria-hidden />
            Export CSV
          </Link>
        </div>
      </PageHeader>
      <FreshnessBanners freshness={context.freshness} />
      <KeysFilters
        filters={filters}
        hsms={context.hsms.map((h) => h.name)}
        facets={facets}
        owners={facets.owners.flatMap((id) => owners.get(id) ?? [])}
      />
      <KeysTable
        items={items}
        filters={filters}
        owners={owners}
        now={context.now}
        bulk={
          policies
            ? {
                policies,
                matching: {
                  total,
                  query: filtersToQuery(filters, {
                    page: undefined,
                    pageSize: undefined,
                    sort: undefined,
                    dir: undefined,
                  }),
                  refusal: matchingRefusal({
                    total,
                    hsmFilter: filters.hsm,
                    hsmCount: context.hsms.length,
                  }),
                },
              }
            : null
        }
      />
      <Pagination
        page={filters.page}
        pageSize={filters.pageSize}
        total={total}
        hrefFor={(page) => `/keys${filtersToQuery(filters, { page })}`}
      />
    </>
  );
}
