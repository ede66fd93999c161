"use client";

import { useState, useTransition } from "react";
import type { Route } from "next";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { DatabaseBackupIcon } from "lucide-react";

import { problemText } from "@/lib/http/problem-text";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";

type Status =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "started"; runId: string }
  | { kind: "refused"; text: string };

/**
 * Starts a backup of the HSM now (POST /api/backups/runs) and says so with a link to the run;
 * a refusal (one already running, no container) is said in words. The page is re-read after,
 * so the run shows in the history; shown only to those with backups.run.
 */
export function BackUpNowButton({ hsm }: { hsm: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [, startTransition] = useTransition();

  async function start() {
    setStatus({ kind: "starting" });
    try {
      const response = await fetch("/api/backups/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hsm }),
      });
      if (response.status !== 202)
        setStatus({ kind: "refused", text: await problemText(response) });
      else setStatus({ kind: "started", runId: ((await response.json()) as { id: string }).id });
    } catch {
      setStatus({ kind: "refused", text: "The portal did not answer; no backup was started." });
    }
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="outline"
        size="sm"
        aria-label={`Back up ${hsm} now`}
        onClick={() => void start()}
        disabled={status.kind === "starting"}
      >
        <DatabaseBackupIcon aria-hidden />
        Back up now
      </Button>
      <p
        aria-live="polite"
        className={cn(
          "max-w-64 text-right text-xs [overflow-wrap:anywhere]",
          status.kind === "refused" ? "text-destructive" : "text-muted-foreground",
        )}
      >
        {status.kind === "starting" ? "Starting…" : null}
        {status.kind === "refused" ? status.text : null}
        {status.kind === "started" ? (
          <>
            Backup running.{" "}
            <Link
              href={`/backups/runs/${status.runId}` as Route}
              prefetch={false}
              className="ui-link text-primary underline"
            >
              Follow the run
            </Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
