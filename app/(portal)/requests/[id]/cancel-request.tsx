"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { problemText } from "@/lib/http/problem-text";
import { Button } from "@/components/ui/button";

/** The requester withdraws a pending request, after saying so a second time. */
export function CancelRequest({ requestId }: { requestId: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  async function cancel() {
    setBusy(true);
    setError(null);
    const response = await fetch(`/api/requests/${requestId}/cancel`, { method: "POST" }).catch(
      () => null,
    );
    setBusy(false);
    if (!response) return setError("The portal did not answer. Try again.");
    if (!response.ok) return setError(await problemText(response));
    setConfirming(false);
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-col gap-2">
      {confirming ? (
        <div
          role="group"
          aria-label="Cancel this request"
          className="flex flex-wrap items-center gap-2"
        >
          <span className="text-sm">Withdraw this request? Nobody can approve it afterwards.</span>
          <Button
            type="button"
            variant="destructive"
            size="sm"
            disabled={busy}
            onClick={() => void cancel()}
          >
            Yes, cancel the request
          </Button>
          <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : (
        <div>
          <Button type="button" variant="outline" onClick={() => setConfirming(true)}>
            Cancel this request
          </Button>
        </div>
      )}
      <p role="status" aria-live="polite" className="text-sm text-destructive">
        {error ?? ""}
      </p>
    </div>
  );
}
