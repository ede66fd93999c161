"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { FEED_NAME_MAX, feedNameSchema, suggestFeedName } from "@/lib/calendar/feed-name";
import { problemText } from "@/lib/http/problem-text";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export interface FeedView {
  id: string;
  name: string;
  created: string;
  lastRead: string;
}

/**
 * Creates a named personal feed URL (shown once: only its hash is stored) and lists the live
 * ones by name, with when each was made and last read, to revoke the right one.
 */
export function FeedManager({ feeds }: { feeds: FeedView[] }) {
  const router = useRouter();
  const [name, setName] = useState(() => suggestFeedName(feeds.map((feed) => feed.name)));
  const [created, setCreated] = useState<{ name: string; url: string } | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  async function create() {
    setError(null);
    const parsed = feedNameSchema.safeParse(name);
    setNameError(parsed.success ? null : (parsed.error.issues[0]?.message ?? "Invalid name."));
    if (!parsed.success) return;
    const response = await fetch("/api/calendar/feeds", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: parsed.data }),
    });
    if (!response.ok) return setError(await problemText(response));
    const feed = (await response.json()) as { name: string; url: string };
    setCreated(feed);
    setName(suggestFeedName([...feeds.map((f) => f.name), feed.name]));
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
      <form
        className="flex flex-col gap-1.5"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label htmlFor="feed-name" className="text-xs font-medium">
          Feed name
        </label>
        <Input
          id="feed-name"
          value={name}
          maxLength={FEED_NAME_MAX}
          required
          aria-invalid={nameError ? true : undefined}
          aria-describedby="feed-name-hint"
          onChange={(event) => setName(event.target.value)}
        />
        <p
          id="feed-name-hint"
          aria-live="polite"
          className={cn("text-xs", nameError ? "text-destructive" : "text-muted-foreground")}
        >
          {nameError ?? "Where you will use it, to tell your feeds apart later."}
        </p>
        <Button type="submit" variant="outline" size="sm" disabled={pending}>
          Create a feed URL
        </Button>
      </form>
      {created ? (
        <div className="flex flex-col gap-1">
          <label htmlFor="feed-url" className="text-xs font-medium [overflow-wrap:anywhere]">
            Your new feed URL for “{created.name}” — copy it now, it is not shown again
          </label>
          <Input
            id="feed-url"
            readOnly
            value={created.url}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      ) : null}
      {feeds.length > 0 ? (
        <ul aria-label="Your feeds" className="flex flex-col gap-2">
          {feeds.map((feed) => (
            <li key={feed.id} className="flex items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="font-medium [overflow-wrap:anywhere]">{feed.name}</p>
                <p className="text-xs text-muted-foreground">
                  Created {feed.created} · {feed.lastRead}
                </p>
              </div>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                onClick={() => void revoke(feed.id)}
                disabled={pending}
              >
                Revoke<span className="sr-only"> {feed.name}</span>
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
