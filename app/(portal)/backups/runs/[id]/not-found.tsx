import Link from "next/link";

import { buttonVariants } from "@/components/ui/button";

export default function BackupRunNotFound() {
  return (
    <div className="flex flex-col items-start gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">No such backup run</h1>
      <p className="text-sm text-muted-foreground">
        There is no backup run at this address. It may have been mistyped.
      </p>
      <Link
        href={"/backups"}
        prefetch={false}
        className={buttonVariants({ variant: "outline", size: "sm" })}
      >
        All backups
      </Link>
    </div>
  );
}
