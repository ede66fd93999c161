import type * as React from "react";

import { cn } from "@/lib/utils";

/*
 * A form field's parts, after shadcn's Field: the label, the control, a description and the
 * error, stacked. The error is a live region, so a message the server sends back is announced.
 */

function Field({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      role="group"
      data-slot="field"
      className={cn("flex min-w-0 flex-col gap-1.5", className)}
      {...props}
    />
  );
}

function FieldLabel({ className, ...props }: React.ComponentProps<"label">) {
  return (
    <label
      data-slot="field-label"
      className={cn("text-sm leading-snug font-medium", className)}
      {...props}
    />
  );
}

function FieldDescription({ className, ...props }: React.ComponentProps<"p">) {
  return (
    <p
      data-slot="field-description"
      className={cn("text-xs text-muted-foreground", className)}
      {...props}
    />
  );
}

/**
 * Always rendered, so that the live region exists before it speaks; when empty it takes no room
 * (the negative margin cancels the field's gap).
 */
function FieldError({ className, children, ...props }: React.ComponentProps<"p">) {
  return (
    <p
      data-slot="field-error"
      aria-live="polite"
      className={cn("text-xs text-destructive empty:-mt-1.5", className)}
      {...props}
    >
      {children}
    </p>
  );
}

function FieldSet({ className, ...props }: React.ComponentProps<"fieldset">) {
  return (
    <fieldset
      data-slot="field-set"
      className={cn("flex min-w-0 flex-col gap-2", className)}
      {...props}
    />
  );
}

function FieldLegend({ className, ...props }: React.ComponentProps<"legend">) {
  return (
    <legend
      data-slot="field-legend"
      className={cn("mb-1 text-sm font-medium", className)}
      {...props}
    />
  );
}

export { Field, FieldDescription, FieldError, FieldLabel, FieldLegend, FieldSet };
