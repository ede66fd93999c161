import Link from "next/link";

import { groupOptions, type GroupLabel } from "@/lib/directory/group-labels";
import {
  EXPIRY_WINDOWS,
  PAGE_SIZES,
  POLICY_STATES,
  type KeyFilters,
} from "@/lib/inventory/filters";
import { Button, buttonVariants } from "@/components/ui/button";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import {
  FilterField,
  FilterForm,
  FilterSelect,
  FilterText,
} from "@/components/data-table/filter-field";

const EXPIRY_LABELS: Record<(typeof EXPIRY_WINDOWS)[number], string> = {
  expired: "Expired",
  "30d": "Expires within 30 days",
  "90d": "Expires within 90 days",
  none: "Never expires",
};
const POLICY_LABELS: Record<(typeof POLICY_STATES)[number], string> = {
  rotates: "Rotates automatically",
  "expiry-only": "Policy without rotation",
  none: "No rotation policy",
};

/** The keys' filters in two rows. Sorting survives a new filter; paging restarts. */
export function KeysFilters({
  filters,
  hsms,
  facets,
  owners,
}: {
  filters: KeyFilters;
  hsms: string[];
  facets: { sizes: string[]; tags: string[] };
  /** The owner groups of the keys one may see, by name. */
  owners: GroupLabel[];
}) {
  return (
    <FilterForm action="/keys" label="Filter keys" className="flex-col items-stretch">
      <div className="flex flex-wrap items-end gap-3">
        <FilterText
          name="q"
          label="Search name or tag"
          type="search"
          value={filters.q}
          placeholder="payments, env=prod…"
        />
        <FilterSelect
          name="hsm"
          label="HSM"
          value={filters.hsm}
          options={hsms.map((h) => [h, h])}
        />
        <FilterSelect
          name="type"
          label="Key type"
          value={filters.type}
          options={[
            ["RSA", "RSA"],
            ["EC", "EC"],
            ["oct", "AES"],
          ]}
        />
        <FilterSelect
          name="size"
          label="Size or curve"
          value={filters.size}
          options={facets.sizes.map((s) => [s, /^\d+$/.test(s) ? `${s} bits` : s])}
        />
        <FilterSelect
          name="enabled"
          label="Enabled"
          value={filters.enabled}
          options={[
            ["yes", "Enabled"],
            ["no", "Disabled"],
          ]}
        />
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          name="expiry"
          label="Expiry"
          value={filters.expiry}
          options={EXPIRY_WINDOWS.map((w) => [w, EXPIRY_LABELS[w]])}
        />
        <FilterSelect
          name="policy"
          label="Rotation policy"
          value={filters.policy}
          options={POLICY_STATES.map((p) => [p, POLICY_LABELS[p]])}
        />
        <FilterSelect
          name="owner"
          label="Owner group"
          value={filters.owner}
          options={[["none", "No owner tag"], ...groupOptions(owners)]}
        />
        <FilterText
          name="tag"
          label="Tag (name or name=value)"
          value={filters.tag}
          list="filter-tag-names"
          placeholder="environment=prod"
        />
        <datalist id="filter-tag-names">
          {facets.tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <FilterField label="Rows per page" htmlFor="filter-pageSize">
          <NativeSelect
            key={filters.pageSize}
            id="filter-pageSize"
            name="pageSize"
            defaultValue={String(filters.pageSize)}
          >
            {PAGE_SIZES.map((size) => (
              <NativeSelectOption key={size} value={String(size)}>
                {size}
              </NativeSelectOption>
            ))}
          </NativeSelect>
        </FilterField>
        {filters.sort !== "name" ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        {filters.dir !== "asc" ? <input type="hidden" name="dir" value={filters.dir} /> : null}
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <Link href={"/keys"} className={buttonVariants({ variant: "ghost" })}>
            Clear
          </Link>
        </div>
      </div>
    </FilterForm>
  );
}
