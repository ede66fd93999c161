import type { Metadata, Route } from "next";
import { notFound } from "next/navigation";

import { reviewIdParams } from "@/lib/access-reviews/api-shapes";
import { accessReview, reviewerOf } from "@/lib/access-reviews/portal";
import { isOwnAccess, ITEM_DECISIONS, type ItemDecision } from "@/lib/access-reviews/rules";
import type { AccessReviewItemView } from "@/lib/access-reviews/store";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { CancelReview } from "@/components/access-reviews/cancel-review";
import { DecisionControls } from "@/components/access-reviews/decision-controls";
import {
  DecisionBadge,
  ReviewProgressBar,
  ReviewStateBadge,
} from "@/components/access-reviews/review-parts";
import { AccessTabs } from "@/components/access/access-tabs";
import { explorerHref, KIND_LABELS } from "@/components/access/principal-name";
import { When } from "@/components/data-table/date-text";
import { KeyNameLink } from "@/components/hsm/key-href";
import { Fact, FactList } from "@/components/layout/fact-list";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Access review" };

const SHOW: { value: ItemDecision | "all"; label: string }[] = [
  { value: "all", label: "All" },
  { value: "pending", label: "Not decided" },
  { value: "flagged", label: "Flagged" },
  { value: "confirmed", label: "Confirmed" },
];

async function reviewOrNotFound(id: string) {
  if (!reviewIdParams.safeParse({ id }).success) notFound();
  try {
    return await accessReview(id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

const scopeWords = (scope: string) =>
  scope === "/" ? "on the whole HSM" : scope === "/keys" ? "on every key" : `on ${scope}`;
const itemSummary = (item: AccessReviewItemView) =>
  `${item.roleName} for ${item.principal.name} at ${item.scope}`;

export default async function AccessReviewPage({
  params,
  searchParams,
}: PageProps<"/access/reviews/[id]">) {
  const session = await requirePermission("accessReviews.read");
  const { id } = await params;
  const { review, now } = await reviewOrNotFound(id);
  const query = await searchParams;
  const show = ITEM_DECISIONS.find((d) => d === query.show) ?? "all";
  const open = review.state === "open";
  const reviewer =
    open && hasPermission(session.roles, "accessReviews.decide") ? await reviewerOf(session) : null;
  const mayCancel = open && hasPermission(session.roles, "accessReviews.start");
  const items = review.items.filter((item) => show === "all" || item.decision === show);
  const counts: Record<string, number> = {
    all: review.progress.total,
    pending: review.progress.pending,
    flagged: review.progress.flagged,
    confirmed: review.progress.confirmed,
  };

  return (
    <>
      <PageHeader
        title={`Access review of ${review.hsm}`}
        description={
          review.note ||
          "Every role assignment of the HSM, confirmed or flagged for removal by an approver."
        }
      >
        {mayCancel ? <CancelReview reviewId={review.id} /> : null}
      </PageHeader>
      <AccessTabs current="/access/reviews" />
      <div className="mb-6 flex flex-wrap items-start gap-8">
        <FactList>
          <Fact term="State">
            <ReviewStateBadge state={review.state} />
          </Fact>
          <Fact term="Started">
            <When value={review.startedAt} now={now} withTime /> by {review.startedBy.name}
          </Fact>
          <Fact term="Assignments as synced">
            <When value={review.mirrorSyncedAt} now={now} withTime relative="inline" />
          </Fact>
          {review.endedAt !== null ? (
            <Fact term={review.state === "cancelled" ? "Cancelled" : "Completed"}>
              <When value={review.endedAt} now={now} withTime />
              {review.endedBy ? ` by ${review.endedBy.name}` : ""}
              {review.cancelReason ? `: ${review.cancelReason}` : ""}
            </Fact>
          ) : null}
        </FactList>
        <ReviewProgressBar progress={review.progress} />
      </div>
      <nav aria-label="Show assignments" className="mb-3 flex flex-wrap gap-3 text-sm">
        {SHOW.map((option) => (
          <a
            key={option.value}
            href={
              (option.value === "all"
                ? `/access/reviews/${review.id}`
                : `/access/reviews/${review.id}?show=${option.value}`) as Route
            }
            aria-current={option.value === show ? "page" : undefined}
            className={option.value === show ? "font-semibold" : "ui-link"}
          >
            {option.label} ({counts[option.value] ?? 0})
          </a>
        ))}
      </nav>
      {items.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No assignment is {show === "pending" ? "left to decide" : show}.
        </p>
      ) : (
        <Table scrollLabel="Assignments under review">
          <TableHeader>
            <TableRow>
              <TableHead>Assignment</TableHead>
              <TableHead>Principal</TableHead>
              <TableHead>Decision</TableHead>
              {reviewer ? <TableHead>Your decision</TableHead> : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={item.assignment}>
                <TableCell className="whitespace-normal">
                  <div className="font-medium">{item.roleName}</div>
                  <div className="text-xs text-muted-foreground">
                    {item.key ? (
                      <>
                        on <KeyNameLink hsm={review.hsm} name={item.key} />
                      </>
                    ) : (
                      scopeWords(item.scope)
                    )}
                  </div>
                </TableCell>
                <TableCell className="whitespace-normal">
                  <a href={explorerHref(item.principal.id)} className="ui-link break-all">
                    {item.principal.name}
                  </a>
                  <div className="text-xs text-muted-foreground">
                    {KIND_LABELS[item.principal.type]}
                  </div>
                </TableCell>
                <TableCell className="max-w-72 whitespace-normal">
                  <DecisionBadge decision={item.decision} />
                  {item.decidedBy ? (
                    <div className="text-xs text-muted-foreground">
                      {item.decidedBy.name}, <When value={item.decidedAt} now={now} withTime />
                    </div>
                  ) : null}
                  {item.comment ? <div className="text-xs">{item.comment}</div> : null}
                  {item.request ? (
                    <a href={`/requests/${item.request.id}` as Route} className="ui-link text-xs">
                      Removal request ({item.request.state})
                    </a>
                  ) : null}
                  {item.alreadyRemoved ? (
                    <div className="text-xs text-muted-foreground">
                      Already gone from the HSM: nothing to remove.
                    </div>
                  ) : null}
                </TableCell>
                {reviewer ? (
                  <TableCell className="whitespace-normal">
                    {item.decision !== "pending" ? null : isOwnAccess(
                        reviewer,
                        item.principal.id,
                      ) ? (
                      <span className="text-xs text-muted-foreground">
                        Your own access: another reviewer decides.
                      </span>
                    ) : (
                      <DecisionControls
                        reviewId={review.id}
                        assignment={item.assignment}
                        summary={itemSummary(item)}
                      />
                    )}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
