import type * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";

import { cn } from "@/lib/utils";

/* The styles are the `ui-badge` rules in globals.css: tables render a badge on every row. */
const badgeVariants = cva("ui-badge", {
  variants: {
    variant: {
      default: "ui-badge-default",
      secondary: "ui-badge-secondary",
      destructive: "ui-badge-destructive",
      success: "ui-badge-success",
      warning: "ui-badge-warning",
      outline: "ui-badge-outline",
    },
  },
  defaultVariants: { variant: "default" },
});

function Badge({
  className,
  variant,
  asChild = false,
  ...props
}: React.ComponentProps<"span"> & VariantProps<typeof badgeVariants> & { asChild?: boolean }) {
  const Comp = asChild ? Slot.Root : "span";
  return <Comp className={cn(badgeVariants({ variant }), className)} {...props} />;
}

/** A badge as data, for server code that hands rows to a client component. */
export interface BadgeView {
  label: string;
  variant: NonNullable<VariantProps<typeof badgeVariants>["variant"]>;
}

export { Badge, badgeVariants };
