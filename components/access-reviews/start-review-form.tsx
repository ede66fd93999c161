"use client";

import type { Route } from "next";

import { Button } from "@/components/ui/button";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { formText, useJsonPost } from "@/components/forms/use-json-post";

/**
 * Starts an access review of one HSM: the server copies its role assignments as synced and
 * answers with the review, which opens. An HSM with a review open already is a 409, said here.
 */
export function StartReviewForm({ hsms }: { hsms: { name: string; openReview: string | null }[] }) {
  const { busy, error, post, navigate } = useJsonPost();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const review = (await post("/api/access-reviews", {
      hsm: form.get("hsm"),
      note: formText(form, "note"),
    })) as { id: string } | null;
    if (review) navigate(`/access/reviews/${review.id}` as Route);
  }

  return (
    <form
      aria-label="Start an access review"
      onSubmit={(event) => void submit(event)}
      className="mb-6 flex flex-col gap-3 rounded-lg border p-4 lg:max-w-xl"
    >
      <h2 className="text-sm font-semibold">Start a review</h2>
      <label className="flex flex-col gap-1.5 text-xs font-medium text-muted-foreground">
        HSM
        <NativeSelect name="hsm" required>
          {hsms.map((hsm) => (
            <NativeSelectOption key={hsm.name} value={hsm.name} disabled={hsm.openReview !== null}>
              {hsm.openReview ? `${hsm.name} (a review is open)` : hsm.name}
            </NativeSelectOption>
          ))}
        </NativeSelect>
      </label>
      <label className="flex flex-col gap-1.5 text-xs font-medium text-muted-foreground">
        Why (optional: the audit or period it serves)
        <Textarea name="note" maxLength={1000} rows={2} />
      </label>
      <p role="status" aria-live="polite" className="text-sm text-destructive">
        {error ?? ""}
      </p>
      <Button type="submit" disabled={busy} className="self-start">
        {busy ? "Starting…" : "Start review"}
      </Button>
    </form>
  );
}
