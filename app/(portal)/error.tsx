"use client";

import { Button } from "@/components/ui/button";

export default function PortalError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="mx-auto max-w-lg space-y-4 py-16 text-center">
      <h1 className="text-xl font-semibold">This page could not be shown</h1>
      <p className="text-sm text-muted-foreground">
        Something went wrong on the server. The error is recorded in the portal&apos;s log
        {error.digest ? (
          <>
            {" "}
            under the reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
