"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { RefreshCwIcon } from "lucide-react";

import { problemText } from "@/lib/http/problem-text";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";

type Status =
  | { kind: "idle" }
  | { kind: "working"; text: string }
  | { kind: "done"; text: string }
  | { kind: "failed"; text: string };

const POLL_MS = 1_000;
const MAX_POLLS = 600;

/**
 * Asks the portal to sync an HSM (or one key) now, follows the run until it ends, then
 * re-renders the page with the fresh data. Shown only to those allowed to sync.
 */
export function SyncButton({
  hsm,
  keyName,
  label,
}: {
  hsm: string;
  keyName?: string;
  label: string;
}) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [, startTransition] = useTransition();

  async function run() {
    setStatus({ kind: "working", text: `Syncing ${keyName ?? hsm}…` });
    const response = await fetch("/api/sync", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(keyName ? { hsm, key: keyName } : { hsm }),
    });
    if (!response.ok) return setStatus({ kind: "failed", text: await problemText(response) });
    const { runId } = (await response.json()) as { runId: string };
    for (let poll = 0; poll < MAX_POLLS && response.status === 202; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const current = await fetch(`/api/sync/runs/${runId}`);
      if (!current.ok) return setStatus({ kind: "failed", text: await problemText(current) });
      const run = (await current.json()) as {
        status: string;
        error: string | null;
        keysRefreshed: number;
      };
      if (run.status === "running") continue;
      if (run.status === "failed")
        return setStatus({ kind: "failed", text: `Sync failed: ${run.error ?? "unknown error"}` });
      setStatus({ kind: "done", text: `Synced: ${run.keysRefreshed} keys re-read.` });
      break;
    }
    if (response.status !== 202) setStatus({ kind: "done", text: "Synced." });
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="outline"
        size="sm"
        onClick={() => void run()}
        disabled={status.kind === "working"}
      >
        <RefreshCwIcon
          aria-hidden
          className={status.kind === "working" ? "animate-spin" : undefined}
        />
        {label}
      </Button>
      <p
        aria-live="polite"
        className={cn(
          "max-w-56 text-right text-xs break-words",
          status.kind === "failed" ? "text-destructive" : "text-muted-foreground",
        )}
      >
        {status.kind === "idle" ? "" : status.text}
      </p>
    </div>
  );
}
