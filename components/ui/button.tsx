import type * as React from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";

import { cn } from "@/lib/utils";

/* The styles are the `ui-btn` rules in globals.css: pages render many buttons and button links. */
const buttonVariants = cva("ui-btn", {
  variants: {
    variant: {
      default: "ui-btn-default",
      destructive: "ui-btn-destructive",
      outline: "ui-btn-outline",
      secondary: "ui-btn-secondary",
      ghost: "ui-btn-ghost",
      link: "ui-btn-link",
    },
    size: {
      default: "ui-btn-md",
      sm: "ui-btn-sm",
      lg: "ui-btn-lg",
      icon: "ui-btn-icon",
    },
  },
  defaultVariants: { variant: "default", size: "default" },
});

function Button({
  className,
  variant,
  size,
  asChild = false,
  ...props
}: React.ComponentProps<"button"> &
  VariantProps<typeof buttonVariants> & {
    asChild?: boolean;
  }) {
  const Comp = asChild ? Slot.Root : "button";
  return <Comp className={cn(buttonVariants({ variant, size }), className)} {...props} />;
}

export { Button, buttonVariants };
