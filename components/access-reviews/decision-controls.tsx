"use client";

import { useState } from "react";
import { CheckIcon, FlagIcon } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { formText, useJsonPost } from "@/components/forms/use-json-post";
import { ActionDialog } from "@/components/requests/action-dialog";

/*
 * A reviewer's decision on one assignment: confirm at once, or flag it for removal with the
 * reason, which becomes the removal request's justification for the approvers who decide it.
 */

const itemUrl = (reviewId: string, assignment: string) =>
  `/api/access-reviews/${encodeURIComponent(reviewId)}/items/${encodeURIComponent(assignment)}`;

export function DecisionControls({
  reviewId,
  assignment,
  summary,
}: {
  reviewId: string;
  assignment: string;
  /** "Crypto User for payments-api at /keys/ledger": names each row's buttons. */
  summary: string;
}) {
  const { busy, error, post, refresh } = useJsonPost();

  async function confirm() {
    if (await post(itemUrl(reviewId, assignment), { decision: "confirm" })) refresh();
  }

  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="outline"
          disabled={busy}
          aria-label={`Confirm: ${summary}`}
          onClick={() => void confirm()}
        >
          <CheckIcon aria-hidden />
          Confirm
        </Button>
        <ActionDialog
          label="Flag"
          buttonName={`Flag for removal: ${summary}`}
          icon={<FlagIcon aria-hidden />}
          title="Flag the assignment for removal"
          description={`${summary}. Say why it should go: your reason becomes the justification of a request to remove it, which other approvers decide.`}
        >
          <FlagFields reviewId={reviewId} assignment={assignment} />
        </ActionDialog>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function FlagFields({ reviewId, assignment }: { reviewId: string; assignment: string }) {
  const { busy, error, post, refresh } = useJsonPost();
  const [done, setDone] = useState(false);
  const fieldId = `flag-${assignment}`;

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const comment = formText(new FormData(event.currentTarget), "comment");
    if (await post(itemUrl(reviewId, assignment), { decision: "flag", comment })) {
      setDone(true);
      refresh();
    }
  }

  if (done)
    return (
      <p role="status" className="text-sm text-muted-foreground">
        Flagged. A request to remove the assignment is filed for approval.
      </p>
    );
  return (
    <form
      aria-label="Flag for removal"
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-3"
    >
      <label htmlFor={fieldId} className="text-sm font-medium">
        Reason
      </label>
      <Textarea
        id={fieldId}
        name="comment"
        required
        minLength={10}
        maxLength={1000}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${fieldId}-error`}
      />
      <p
        id={`${fieldId}-error`}
        role="status"
        aria-live="polite"
        className="text-sm text-destructive"
      >
        {error ?? ""}
      </p>
      <Button type="submit" variant="destructive" disabled={busy} className="self-start">
        {busy ? "Filing…" : "Flag and file the removal"}
      </Button>
    </form>
  );
}
