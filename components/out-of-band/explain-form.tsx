"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { formText, useJsonPost } from "@/components/forms/use-json-post";
import { ActionDialog } from "@/components/requests/action-dialog";

/**
 * "Mark explained" for one out-of-band change: the reason goes to the API, which records who and
 * why (audited). The server decides: a short reason comes back as a 422 said under the field, a
 * change explained meanwhile as a 409, and the page then shows it as it is now.
 * After success the page is refreshed when the dialog closes, not at once: the explained change
 * leaves the list, and the dialog with it, before its confirmation could be read.
 */
export function ExplainForm({ id, summary }: { id: string; summary: string }) {
  const { refresh } = useJsonPost();
  const [explained, setExplained] = useState(false);
  return (
    <ActionDialog
      label="Mark explained"
      buttonName={`Mark explained: ${summary}`}
      title="Mark the change as explained"
      description={`${summary}. Say why it was made outside the portal (an incident, a break-glass change…); the reason is recorded in the audit log.`}
      onClosed={() => explained && refresh()}
    >
      <ExplainFields id={id} onExplained={() => setExplained(true)} />
    </ActionDialog>
  );
}

function ExplainFields({ id, onExplained }: { id: string; onExplained: () => void }) {
  const { busy, error, post } = useJsonPost();
  const [done, setDone] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = formText(new FormData(event.currentTarget), "reason");
    if (await post(`/api/out-of-band/${encodeURIComponent(id)}/explain`, { reason })) {
      setDone(true);
      onExplained();
    }
  }

  if (done)
    return (
      <p role="status" className="text-sm text-muted-foreground">
        Explained. The reason is recorded.
      </p>
    );
  return (
    <form
      aria-label="Explain the change"
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-3"
    >
      <label htmlFor={`explain-${id}`} className="text-sm font-medium">
        Reason
      </label>
      <Textarea
        id={`explain-${id}`}
        name="reason"
        required
        minLength={10}
        maxLength={2000}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={`explain-${id}-error`}
      />
      <p
        id={`explain-${id}-error`}
        role="status"
        aria-live="polite"
        className="text-sm text-destructive"
      >
        {error ?? ""}
      </p>
      <Button type="submit" disabled={busy} className="self-start">
        {busy ? "Saving…" : "Mark explained"}
      </Button>
    </form>
  );
}
