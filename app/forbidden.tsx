import Link from "next/link";

import { Button } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-svh max-w-lg flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-xl font-semibold">You cannot open this page</h1>
      <p className="text-sm text-muted-foreground">
        Your Keyward roles do not include this section. If you need it, ask your key team.
      </p>
      <Button asChild>
        <Link href="/">Go to your start page</Link>
      </Button>
    </main>
  );
}
