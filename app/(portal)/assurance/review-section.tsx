import type { Route } from "next";
import Link from "next/link";

import type { AssuranceView } from "@/lib/assurance/service";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { progressWords } from "@/components/access-reviews/review-parts";
import { When } from "@/components/data-table/date-text";

/** Per HSM, when its role assignments were last reviewed to the end, and any review open now. */
export function ReviewSection({
  reviews,
  now,
  className,
}: {
  reviews: NonNullable<AssuranceView["reviews"]>;
  now: number;
  className?: string;
}) {
  return (
    <Card className={className} role="region" aria-labelledby="assurance-reviews">
      <CardHeader>
        <CardTitle id="assurance-reviews">Access reviews</CardTitle>
        <CardDescription>
          When each HSM&apos;s role assignments were last reviewed to the end by approvers.{" "}
          <Link href="/access/reviews" className="ui-link">
            Open the reviews
          </Link>
        </CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        <Table scrollLabel="Access reviews per HSM">
          <TableHeader>
            <TableRow>
              <TableHead>HSM</TableHead>
              <TableHead>Last completed</TableHead>
              <TableHead>Open now</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {reviews.map(({ hsm, lastCompleted, open }) => (
              <TableRow key={hsm}>
                <TableCell>{hsm}</TableCell>
                <TableCell className="whitespace-normal">
                  {lastCompleted ? (
                    <>
                      <a href={`/access/reviews/${lastCompleted.id}` as Route} className="ui-link">
                        <When value={lastCompleted.endedAt} now={now} relative="inline" />
                      </a>
                      <div className="text-xs text-muted-foreground">
                        {lastCompleted.progress.confirmed} confirmed,{" "}
                        {lastCompleted.progress.flagged} flagged for removal
                      </div>
                    </>
                  ) : (
                    <span className="text-muted-foreground">Never reviewed</span>
                  )}
                </TableCell>
                <TableCell className="whitespace-normal">
                  {open ? (
                    <a href={`/access/reviews/${open.id}` as Route} className="ui-link">
                      {progressWords(open.progress)}
                    </a>
                  ) : (
                    <span className="text-muted-foreground">None</span>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
