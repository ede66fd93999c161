import type * as React from "react";

import { cn } from "@/lib/utils";

/**
 * A styled native <select> with the browser's own arrow: accessible, works without JavaScript,
 * right for GET filter forms, and one element each (filter bars render many).
 */
function NativeSelect({ className, ...props }: React.ComponentProps<"select">) {
  return <select className={cn("ui-control ui-select", className)} {...props} />;
}

function NativeSelectOption(props: React.ComponentProps<"option">) {
  return <option {...props} />;
}

/** One option per [value, words] pair, in order. */
function NativeSelectOptions({ options }: { options: readonly (readonly [string, string])[] }) {
  return options.map(([value, words]) => (
    <NativeSelectOption key={value} value={value}>
      {words}
    </NativeSelectOption>
  ));
}

export { NativeSelect, NativeSelectOption, NativeSelectOptions };
