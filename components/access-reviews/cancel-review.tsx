"use client";

import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { formText, useJsonPost } from "@/components/forms/use-json-post";
import { ActionDialog } from "@/components/requests/action-dialog";

/** Cancels an open review with the reason (key admins); decisions made and their requests stand. */
export function CancelReview({ reviewId }: { reviewId: string }) {
  return (
    <ActionDialog
      label="Cancel review"
      title="Cancel the access review"
      description="The decisions made so far stand, and so do the removal requests they filed. The reason is recorded in the audit log."
    >
      <CancelFields reviewId={reviewId} />
    </ActionDialog>
  );
}

function CancelFields({ reviewId }: { reviewId: string }) {
  const { busy, error, post, refresh } = useJsonPost();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = formText(new FormData(event.currentTarget), "reason");
    if (await post(`/api/access-reviews/${encodeURIComponent(reviewId)}/cancel`, { reason }))
      refresh();
  }

  return (
    <form
      aria-label="Cancel the review"
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-3"
    >
      <label htmlFor="cancel-reason" className="text-sm font-medium">
        Reason
      </label>
      <Textarea
        id="cancel-reason"
        name="reason"
        required
        minLength={10}
        maxLength={1000}
        rows={3}
      />
      <p role="status" aria-live="polite" className="text-sm text-destructive">
        {error ?? ""}
      </p>
      <Button type="submit" variant="destructive" disabled={busy} className="self-start">
        {busy ? "Cancelling…" : "Cancel review"}
      </Button>
    </form>
  );
}
