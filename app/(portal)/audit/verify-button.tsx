"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { ShieldCheckIcon } from "lucide-react";

import { problemText } from "@/lib/http/problem-text";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";

type Status = { kind: "idle" | "working" | "done" | "failed"; text: string };

/**
 * Walks the whole chain now (GET /api/audit/verify records the outcome), says what it found,
 * then re-renders the page so that the banner shows the new verification.
 */
export function VerifyButton() {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "idle", text: "" });
  const [, startTransition] = useTransition();

  async function verify() {
    setStatus({ kind: "working", text: "Verifying the chain…" });
    const response = await fetch("/api/audit/verify");
    if (!response.ok) return setStatus({ kind: "failed", text: await problemText(response) });
    const result = (await response.json()) as {
      ok: boolean;
      events: number;
      problems: unknown[];
      moreProblems: number;
    };
    const problems = result.problems.length + result.moreProblems;
    setStatus(
      result.ok
        ? { kind: "done", text: `Verified ${result.events.toLocaleString("en")} events: ok.` }
        : { kind: "failed", text: `Found ${problems} problem${problems === 1 ? "" : "s"}.` },
    );
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-wrap items-center gap-3 pt-1">
      <Button
        variant="outline"
        size="sm"
        onClick={() => void verify()}
        disabled={status.kind === "working"}
      >
        <ShieldCheckIcon aria-hidden className={status.kind === "working" ? "animate-pulse" : ""} />
        Verify now
      </Button>
      <span
        aria-live="polite"
        className={cn(
          "text-xs",
          status.kind === "failed" ? "text-destructive" : "text-muted-foreground",
        )}
      >
        {status.text}
      </span>
    </div>
  );
}
