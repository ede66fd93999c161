import { cn } from "@/lib/utils";
import { buttonVariants } from "@/components/ui/button";

/**
 * One paging link of a table: a link when there is somewhere to go, otherwise the same button
 * shown disabled (a span, so that it is neither focused nor followed).
 */
export function PageLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  const className = buttonVariants({ variant: "outline", size: "sm" });
  return href ? (
    <a href={href} className={className}>
      {children}
    </a>
  ) : (
    <span aria-disabled className={cn(className, "pointer-events-none opacity-50")}>
      {children}
    </span>
  );
}
