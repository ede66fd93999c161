"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";

import type { SessionSummary } from "@/lib/auth/account";
import { formatUtc } from "@/lib/format/date";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

function describeBrowser(userAgent: string): string {
  const browser =
    /(Edg|Chrome|Chromium|Firefox|Safari)\/[\d.]+/.exec(userAgent)?.[1] ?? "Unknown browser";
  const system =
    /(Windows|Mac OS X|Linux|Android|iPhone OS)/.exec(userAgent)?.[1] ?? "unknown system";
  return `${browser === "Edg" ? "Edge" : browser} on ${system.replace("Mac OS X", "macOS")}`;
}

export function SessionsTable({
  sessions,
  canEnd,
}: {
  sessions: SessionSummary[];
  canEnd: boolean;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function end(id: string) {
    setPending(id);
    setError(null);
    const response = await fetch(`/api/me/sessions/${id}`, { method: "DELETE" });
    setPending(null);
    if (response.ok) router.refresh();
    else
      setError(
        ((await response.json()) as { detail?: string }).detail ??
          "The session could not be ended.",
      );
  }

  return (
    <div className="space-y-3">
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Table scrollLabel="Your sessions">
        <TableHeader>
          <TableRow>
            <TableHead>Browser</TableHead>
            <TableHead>Signed in</TableHead>
            <TableHead>Last active</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.map((s) => (
            <TableRow key={s.id} data-session-id={s.id}>
              <TableCell className="font-medium">
                {describeBrowser(s.userAgent)}{" "}
                {s.current ? (
                  <Badge variant="secondary" className="ml-1">
                    This browser
                  </Badge>
                ) : null}
              </TableCell>
              <TableCell>{s.signedInAt ? formatUtc(s.signedInAt) : "—"}</TableCell>
              <TableCell>{s.lastSeenAt ? formatUtc(s.lastSeenAt) : "—"}</TableCell>
              <TableCell className="text-right">
                {canEnd && !s.current ? (
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={pending === s.id}
                    onClick={() => void end(s.id)}
                  >
                    {pending === s.id ? "Ending…" : "End session"}
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
