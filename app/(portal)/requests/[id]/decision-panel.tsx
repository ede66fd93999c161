"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { reauthenticationHref } from "@/lib/auth/reauth-href";
import { readProblem, type ProblemView } from "@/lib/http/problem-text";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

type Decision = "approve" | "reject";

interface Decided {
  state: string;
  approvals: number;
  approvalsRequired: number;
}

/** What the panel says after a decision was sent, under the form that sent it. */
interface Message {
  about: Decision;
  error: boolean;
  text: string;
}

const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

/** The success line after a decision, from the request as the API answers it. */
function decidedText(decided: Decided): string {
  if (decided.state === "rejected") return "Rejected. The change will not be made.";
  if (decided.state === "pending")
    return `Your approval is recorded: ${decided.approvals} of ${decided.approvalsRequired}.`;
  return "Approved. The portal makes the change now.";
}

function Said({ message, about }: { message: Message | null; about: Decision }) {
  const shown = message?.about === about ? message : null;
  return (
    <p
      role="status"
      aria-live="polite"
      className={shown?.error ? "text-sm text-destructive" : "text-sm text-muted-foreground"}
    >
      {shown?.text ?? ""}
    </p>
  );
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
  criticalCount,
}: {
  requestId: string;
  /** The critical findings approving would add, rendered on the server. */
  criticalFindings: React.ReactNode;
  criticalCount: number;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [acknowledging, setAcknowledging] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [, startTransition] = useTransition();

  async function send(about: Decision, body: unknown): Promise<void> {
    setBusy(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/requests/${requestId}/${about}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) {
        setAcknowledging(false);
        const text = decidedText((await response.json()) as Decided);
        setMessage({ about, error: false, text });
        startTransition(() => router.refresh());
        return;
      }
      onProblem(about, await readProblem(response));
    } catch {
      setMessage({ about, error: true, text: "The portal did not answer. Try again." });
    } finally {
      setBusy(false);
    }
  }

  function onProblem(about: Decision, problem: ProblemView) {
    if (problem.type === "urn:keyward:problem:reauthentication-required") {
      const text = "Your sign-in is too old to decide: signing you in again…";
      setMessage({ about, error: false, text });
      const returnTo = window.location.pathname;
      window.location.assign(reauthenticationHref(returnTo, problem.signInUrl ?? undefined));
      return;
    }
    if (
      problem.status === 422 &&
      problem.fieldErrors.some((e) => e.pointer.endsWith("/acknowledge"))
    ) {
      setAcknowledging(true);
      // The findings are listed above the reason; the server's words only when none were known.
      if (criticalCount > 0) return;
    }
    setMessage({ about, error: true, text: problem.text });
    // Someone else moved the request meanwhile: show what it is now.
    if (problem.status === 409) startTransition(() => router.refresh());
  }

  function approve(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const comment = formText(form, "comment");
    const reason = formText(form, "acknowledgement");
    void send("approve", {
      ...(comment ? { comment } : {}),
      ...(acknowledging && reason ? { acknowledge: { reason } } : {}),
    });
  }

  function reject(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send("reject", { reason: formText(new FormData(event.currentTarget), "reason") });
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
              Why are these findings acceptable? (at least 10 characters, recorded with your
              approval)
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
        <Said message={message} about="approve" />
      </form>
      <form aria-label="Reject" onSubmit={reject} className="flex flex-col gap-3 border-t pt-4">
        <label htmlFor="decision-reason" className="text-sm font-medium">
          Reason for rejecting <span className="font-normal text-muted-foreground">(required)</span>
        </label>
        <Textarea id="decision-reason" name="reason" required maxLength={2000} rows={2} />
        <div>
          <Button type="submit" variant="outline" disabled={busy}>
            Reject
          </Button>
        </div>
        <Said message={message} about="reject" />
      </form>
    </div>
  );
}
