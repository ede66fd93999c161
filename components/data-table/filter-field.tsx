import { cn } from "@/lib/utils";
import { Input } from "@/components/ui/input";
import {
  NativeSelect,
  NativeSelectOption,
  NativeSelectOptions,
} from "@/components/ui/native-select";
import { GetForm } from "@/components/data-table/get-form";

/**
 * A filter bar as a GET form: the filters land in the URL, the page renders on the server, and
 * it works without JavaScript; with it, a changed menu applies at once (see GetForm).
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
    <GetForm
      action={action}
      label={label}
      className={cn("mb-4 flex flex-wrap items-end gap-3 rounded-lg border p-4", className)}
    >
      {children}
    </GetForm>
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

/*
 * The filter controls are uncontrolled (they work without JavaScript), and React does not move
 * an uncontrolled control to a new default value. Each is keyed by the value the page was
 * rendered with, so that after an in-place navigation (Clear, Back) it shows the URL's value.
 */

/** A filter text field, such as the search box. */
export function FilterText({
  name,
  label,
  value,
  type = "text",
  placeholder,
  list,
}: {
  name: string;
  label: string;
  value: string | undefined;
  type?: "text" | "search";
  placeholder?: string;
  /** The id of a <datalist> of suggestions. */
  list?: string;
}) {
  return (
    <FilterField label={label} htmlFor={`filter-${name}`}>
      <Input
        key={value ?? ""}
        id={`filter-${name}`}
        name={name}
        type={type}
        defaultValue={value ?? ""}
        placeholder={placeholder}
        list={list}
      />
    </FilterField>
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
      <NativeSelect key={value ?? ""} id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        <NativeSelectOption value="">Any</NativeSelectOption>
        <NativeSelectOptions options={options} />
      </NativeSelect>
    </FilterField>
  );
}
