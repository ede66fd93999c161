import type * as React from "react";

import { cn } from "@/lib/utils";

function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return (
    <textarea
      data-slot="textarea"
      className={cn("ui-control ui-input field-sizing-content h-auto min-h-16 py-2", className)}
      {...props}
    />
  );
}

export { Textarea };
