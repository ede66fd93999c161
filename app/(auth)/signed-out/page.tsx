import type { Metadata } from "next";
import Link from "next/link";

import { Button } from "@/components/ui/button";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">You are signed out</h1>
        <p className="text-sm text-muted-foreground">
          Your Keyward session has ended. Close the browser if you are on a shared computer.
        </p>
      </div>
      <Button asChild variant="outline" className="w-full">
        <Link href="/sign-in">Sign in again</Link>
      </Button>
    </div>
  );
}
