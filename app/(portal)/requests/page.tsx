import type { Metadata, Route } from "next";
import { ChevronRightIcon, ChevronsLeftIcon } from "lucide-react";

import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { requestFiltersSchema } from "@/lib/requests/filters";
import { REQUEST_KIND_NAMES, REQUEST_KINDS } from "@/lib/requests/kinds";
import { requestPage } from "@/lib/requests/service";
import { REQUEST_STATES } from "@/lib/requests/state-machine";
import { readSearchParams, toSearchQuery } from "@/lib/validation/search-params";
import { Button, buttonVariants } from "@/components/ui/button";
import { FilterForm, FilterSelect } from "@/components/data-table/filter-field";
import { PageLink } from "@/components/data-table/page-link";
import { PageHeader } from "@/components/layout/page-header";
import { requestStateLabel } from "@/components/requests/request-state-badge";

import { RequestTabs, type RequestTab } from "./request-tabs";
import { RequestsTable } from "./requests-table";

export const metadata: Metadata = { title: "Change requests" };

const STATE_OPTIONS = REQUEST_STATES.map((state) => [state, requestStateLabel(state)] as const);
const KIND_OPTIONS = REQUEST_KIND_NAMES.map((kind) => [kind, REQUEST_KINDS[kind].label] as const);

/** What an empty page says, by view: what is empty, not only that it is. */
function emptyText(tab: RequestTab, filtered: boolean, older: boolean, readAll: boolean): string {
  if (older) return "There are no older requests in this view.";
  if (filtered)
    return {
      toReview: "No request waiting for your review matches these filters.",
      mine: "None of the requests you filed matches these filters.",
      all: "No change request matches these filters.",
    }[tab];
  return {
    toReview: "Nothing waits for your review: every pending request is yours or has your decision.",
    mine: "You have not filed any change requests.",
    all: readAll
      ? "No change request has been filed yet."
      : "No change request has been filed yet by you or for your groups' keys.",
  }[tab];
}

export default async function RequestsPage({ searchParams }: PageProps<"/requests">) {
  const session = await requirePermission("requests.read");
  const canReview = hasPermission(session.roles, "requests.approve");
  const query = readSearchParams(requestFiltersSchema, await searchParams);
  if (!canReview) query.toReview = undefined;
  const page = await requestPage(session, query);
  const { state, kind, hsm, limit } = query;
  const tab: RequestTab = query.toReview ? "toReview" : query.mine ? "mine" : "all";
  const flags = {
    toReview: tab === "toReview" ? "true" : undefined,
    mine: tab === "mine" ? "true" : undefined,
  };
  const tabHref = (to: RequestTab) =>
    `/requests${toSearchQuery({
      state,
      kind,
      hsm,
      limit,
      toReview: to === "toReview" ? "true" : undefined,
      mine: to === "mine" ? "true" : undefined,
    })}` as Route;
  const olderHref = page.next
    ? (`/requests${toSearchQuery({ state, kind, hsm, limit, ...flags, before: page.next })}` as Route)
    : null;
  const filtered = state !== undefined || kind !== undefined || hsm !== undefined;
  const readAll = hasPermission(session.roles, "requests.readAll");

  return (
    <>
      <PageHeader
        title="Change requests"
        description="Every change to an HSM waits here for its approvals; the portal then makes it, once, and records who asked and who approved."
      />
      <RequestTabs current={tab} canReview={canReview} hrefFor={tabHref} />
      <FilterForm
        action="/requests"
        label="Filter change requests"
        className="grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4"
      >
        <FilterSelect name="state" label="State" value={state} options={STATE_OPTIONS} />
        <FilterSelect name="kind" label="Kind" value={kind} options={KIND_OPTIONS} />
        <FilterSelect
          name="hsm"
          label="HSM"
          value={hsm}
          options={page.hsms.map((h) => [h, h] as const)}
        />
        {flags.toReview ? <input type="hidden" name="toReview" value="true" /> : null}
        {flags.mine ? <input type="hidden" name="mine" value="true" /> : null}
        {limit !== undefined ? <input type="hidden" name="limit" value={limit} /> : null}
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <a
            href={`/requests${toSearchQuery(flags)}`}
            className={buttonVariants({ variant: "ghost" })}
          >
            Clear
          </a>
        </div>
      </FilterForm>
      {page.requests.length === 0 ? (
        <p className="text-sm text-muted-foreground" role="status">
          {emptyText(tab, filtered, query.before !== undefined, readAll)}
        </p>
      ) : (
        <RequestsTable requests={page.requests} now={page.now} />
      )}
      <nav aria-label="Pages" className="flex flex-wrap justify-end gap-2 pt-4 text-sm">
        {query.before !== undefined ? (
          <a
            href={`/requests${toSearchQuery({ state, kind, hsm, limit, ...flags })}`}
            className={buttonVariants({ variant: "outline", size: "sm" })}
          >
            <ChevronsLeftIcon aria-hidden />
            Newest
          </a>
        ) : null}
        <PageLink href={olderHref}>
          Older
          <ChevronRightIcon aria-hidden />
        </PageLink>
      </nav>
    </>
  );
}
