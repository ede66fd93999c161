import { cn } from "@/lib/utils";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

/**
 * A filter bar as a plain GET form: the filters land in the URL, the page renders on the server,
 * and it works without JavaScript.
 */
export function FilterForm({
  action,
  label,
  className,
  children,
}: {
  action: string;
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className={cn("mb-4 flex flex-wrap items-end gap-3 rounded-lg border p-4", className)}
    >
      {children}
    </form>
  );
}

/** One labelled control of a GET filter form. */
export function FilterField({
  label,
  htmlFor,
  children,
}: {
  label: string;
  htmlFor: string;
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-w-36 flex-1 flex-col gap-1.5">
      <label htmlFor={htmlFor} className="text-xs font-medium text-muted-foreground">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A filter menu: "Any" first, then the options as [value, label] pairs. */
export function FilterSelect({
  name,
  value,
  label,
  options,
}: {
  name: string;
  value: string | undefined;
  label: string;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <FilterField label={label} htmlFor={`filter-${name}`}>
      <NativeSelect id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <NativeSelectOption value="">Any</NativeSelectOption>
        {options.map(([optionValue, optionLabel]) => (
          <NativeSelectOption key={optionValue} value={optionValue}>
            {optionLabel}
          </NativeSelectOption>
        ))}
      </NativeSelect>
    </FilterField>
  );
}
