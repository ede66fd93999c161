import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

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
