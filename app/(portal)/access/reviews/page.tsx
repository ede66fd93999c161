import type { Metadata, Route } from "next";

import { accessReviewsPageData } from "@/lib/access-reviews/portal";
import { requirePermission } from "@/lib/auth/current-session";
import { hasPermission } from "@/lib/auth/permissions";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { ReviewProgressBar, ReviewStateBadge } from "@/components/access-reviews/review-parts";
import { StartReviewForm } from "@/components/access-reviews/start-review-form";
import { AccessTabs } from "@/components/access/access-tabs";
import { When } from "@/components/data-table/date-text";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Access reviews" };

/*
 * Access reviews, newest first. Key admins start one per HSM here; approvers open a review to
 * confirm or flag its assignments; everyone who may read them sees who decided what.
 */
export default async function AccessReviewsPage() {
  const session = await requirePermission("accessReviews.read");
  const { reviews, hsms, now } = await accessReviewsPageData();
  const openByHsm = new Map(reviews.filter((r) => r.state === "open").map((r) => [r.hsm, r.id]));
  const mayStart = hasPermission(session.roles, "accessReviews.start");

  return (
    <>
      <PageHeader
        title="Access reviews"
        description="A periodic review of each HSM's role assignments: approvers confirm each one or flag it for removal, and a flag becomes a change request to remove it. Finished reviews go into the evidence pack."
      />
      <AccessTabs current="/access/reviews" />
      {mayStart ? (
        <StartReviewForm
          hsms={hsms.map((name) => ({
            name,
            openReview: openByHsm.get(name) ?? null,
          }))}
        />
      ) : null}
      {reviews.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No access review has been started yet.
          {mayStart ? " Start one above." : " The key team starts them."}
        </p>
      ) : (
        <Table scrollLabel="Access reviews">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Progress</TableHead>
              <TableHead>Started</TableHead>
              <TableHead>Ended</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {reviews.map((review) => (
              <TableRow key={review.id}>
                <TableCell>
                  <a href={`/access/reviews/${review.id}` as Route} className="ui-link font-medium">
                    {review.hsm}
                  </a>
                  {review.note ? (
                    <div
                      className="max-w-72 truncate text-xs text-muted-foreground"
                      title={review.note}
                    >
                      {review.note}
                    </div>
                  ) : null}
                </TableCell>
                <TableCell>
                  <ReviewStateBadge state={review.state} />
                </TableCell>
                <TableCell>
                  <ReviewProgressBar progress={review.progress} />
                </TableCell>
                <TableCell>
                  <When value={review.startedAt} now={now} withTime />
                  <div className="text-xs text-muted-foreground">by {review.startedBy.name}</div>
                </TableCell>
                <TableCell>
                  <When value={review.endedAt} now={now} withTime empty="—" />
                  {review.endedBy ? (
                    <div className="text-xs text-muted-foreground">by {review.endedBy.name}</div>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
