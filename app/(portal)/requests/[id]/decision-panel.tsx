"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { reauthenticationHref } from "@/lib/auth/reauth-href";
import { readProblem, type ClientProblem } from "@/lib/http/problem-text";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

interface Decided {
  state: string;
  approvals: number;
  approvalsRequired: number;
}

const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** The success line after a decision, from the request as the API answers it. */
function decidedText(decided: Decided): string {
  if (decided.state === "rejected") return "Rejected. The change will not be made.";
  if (decided.state === "pending")
    return `Your approval is recorded: ${decided.approvals} of ${decided.approvalsRequired}.`;
  return "Approved. The portal makes the change now.";
}

/**
 * Approve (with an optional comment) and reject (with a reason) a pending request, through the
 * API. The server decides: a 422 for critical separation-of-duties findings asks for an
 * acknowledgement and the approval is sent again with it; a 401 for an old sign-in goes through
 * a fresh sign-in that returns here; anything else is said as the problem's text.
 */
export function DecisionPanel({
  requestId,
  criticalFindings,
}: {
  requestId: string;
  /** The critical findings approving would add, rendered on the server. */
  criticalFindings: React.ReactNode;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [acknowledging, setAcknowledging] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [, startTransition] = useTransition();

  async function send(path: "approve" | "reject", body: unknown): Promise<void> {
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/requests/${requestId}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        setAcknowledging(false);
        setMessage({ error: false, text: decidedText((await response.json()) as Decided) });
        startTransition(() => router.refresh());
        return;
      }
      onProblem(await readProblem(response));
    } catch {
      setMessage({ error: true, text: "The portal did not answer. Try again." });
    } finally {
      setBusy(false);
    }
  }

  function onProblem(problem: ClientProblem) {
    if (problem.type === "urn:keyward:problem:reauthentication-required") {
      setMessage({
        error: false,
        text: "Your sign-in is too old to decide: signing you in again…",
      });
      window.location.assign(
        reauthenticationHref(window.location.pathname, problem.signInUrl ?? undefined),
      );
      return;
    }
    if (problem.status === 422 && problem.pointers.some((p) => p.endsWith("/acknowledge")))
      setAcknowledging(true);
    setMessage({ error: true, text: problem.text });
    // Someone else moved the request meanwhile: show what it is now.
    if (problem.status === 409) startTransition(() => router.refresh());
  }

  function approve(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const comment = formText(form, "comment").trim();
    const reason = formText(form, "acknowledgement").trim();
    void send("approve", {
      ...(comment ? { comment } : {}),
      ...(acknowledging && reason ? { acknowledge: { reason } } : {}),
    });
  }

  return (
    <div className="flex flex-col gap-6">
      <form aria-label="Approve" onSubmit={approve} className="flex flex-col gap-3">
        <label htmlFor="decision-comment" className="text-sm font-medium">
          Comment <span className="font-normal text-muted-foreground">(optional)</span>
        </label>
        <Textarea id="decision-comment" name="comment" maxLength={2000} rows={2} />
        {acknowledging ? (
          <div
            role="group"
            aria-labelledby="acknowledge-title"
            className="flex flex-col gap-3 rounded-lg border border-destructive/40 p-3"
          >
            <p id="acknowledge-title" className="text-sm font-medium">
              Approving adds critical separation-of-duties findings:
            </p>
            {criticalFindings}
            <label htmlFor="decision-acknowledgement" className="text-sm font-medium">
              Why are these findings acceptable? (recorded with your approval)
            </label>
            <Textarea
              id="decision-acknowledgement"
              name="acknowledgement"
              required
              minLength={10}
              maxLength={2000}
              rows={2}
            />
          </div>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>
            {acknowledging ? "Acknowledge and approve" : "Approve"}
          </Button>
          {acknowledging ? (
            <Button type="button" variant="ghost" onClick={() => setAcknowledging(false)}>
              Do not approve
            </Button>
          ) : null}
        </div>
      </form>
      <form
        aria-label="Reject"
        onSubmit={(event) => {
          event.preventDefault();
          const reason = formText(new FormData(event.currentTarget), "reason").trim();
          void send("reject", { reason });
        }}
        className="flex flex-col gap-3 border-t pt-4"
      >
        <label htmlFor="decision-reason" className="text-sm font-medium">
          Reason for rejecting <span className="font-normal text-muted-foreground">(required)</span>
        </label>
        <Textarea id="decision-reason" name="reason" required maxLength={2000} rows={2} />
        <div>
          <Button type="submit" variant="outline" disabled={busy}>
            Reject
          </Button>
        </div>
      </form>
      <p
        role="status"
        aria-live="polite"
        className={message?.error ? "text-sm text-destructive" : "text-sm text-muted-foreground"}
      >
        {message?.text ?? ""}
      </p>
    </div>
  );
}
