import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { getCurrentSession } from "@/lib/auth/current-session";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getEnv } from "@/lib/env";
import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Sign in" };

const MESSAGES: Record<string, string> = {
  cancelled: "Sign-in was cancelled.",
  expired: "That sign-in took too long or was started in another browser. Please sign in again.",
  failed:
    "Sign-in failed. If this keeps happening, tell your administrator the time of this attempt.",
  unavailable: "The identity provider could not be reached. Try again in a moment.",
  "session-ended": "Your session ended. Sign in again to continue.",
};

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const params = await searchParams;
  const returnTo = safeReturnTo(typeof params.returnTo === "string" ? params.returnTo : undefined);
  if (await getCurrentSession()) redirect(returnTo as "/");

  const error = typeof params.error === "string" ? MESSAGES[params.error] : undefined;
  const local = getEnv().mode === "local";
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to Keyward</h1>
        <p className="text-sm text-muted-foreground">
          {local
            ? "You will sign in at Keyward's local identity provider, which lists the demo accounts and their passwords."
            : "You will sign in with your organisation's Microsoft account."}
        </p>
      </div>
      {error ? (
        <p
          role="alert"
          className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive"
        >
          {error}
        </p>
      ) : null}
      <Button asChild className="w-full">
        <a href={`/api/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`}>
          {local ? "Sign in with the local identity provider" : "Sign in with Microsoft"}
        </a>
      </Button>
    </div>
  );
}
