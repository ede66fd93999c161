import Link from "next/link";
import { KeyRoundIcon } from "lucide-react";

export function Brand() {
  return (
    <Link
      href="/"
      className="flex items-center gap-2 rounded-md px-2 text-base font-semibold tracking-tight outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <KeyRoundIcon className="size-4" aria-hidden />
      </span>
      Keyward
    </Link>
  );
}
