"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { problemText } from "@/lib/http/problem-text";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * Creates a personal feed URL (shown once: only its hash is stored) and revokes existing ones.
 */
export function FeedManager({
  feeds,
}: {
  feeds: { id: string; created: string; lastUsed: string }[];
}) {
  const router = useRouter();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function create() {
    setError(null);
    const response = await fetch("/api/calendar/feeds", { method: "POST" });
    if (!response.ok) return setError(await problemText(response));
    setUrl(((await response.json()) as { url: string }).url);
    startTransition(() => router.refresh());
  }

  async function revoke(id: string) {
    setError(null);
    const response = await fetch(`/api/calendar/feeds/${id}`, { method: "DELETE" });
    if (!response.ok) return setError(await problemText(response));
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-col gap-3 text-sm">
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => void create()}
        disabled={pending}
      >
        Create a feed URL
      </Button>
      {url ? (
        <div className="flex flex-col gap-1">
          <label htmlFor="feed-url" className="text-xs font-medium">
            Your new feed URL — copy it now, it is not shown again
          </label>
          <Input id="feed-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
      {feeds.length > 0 ? (
        <ul aria-label="Your feeds" className="flex flex-col gap-2">
          {feeds.map((feed) => (
            <li key={feed.id} className="flex items-center justify-between gap-2">
              <span className="text-xs text-muted-foreground">
                Created {feed.created} · {feed.lastUsed}
              </span>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                onClick={() => void revoke(feed.id)}
                disabled={pending}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-muted-foreground">You have no feed yet.</p>
      )}
      <p aria-live="polite" className="text-xs text-destructive">
        {error ?? ""}
      </p>
    </div>
  );
}
