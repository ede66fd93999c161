import { fromUtcInput } from "@/lib/format/utc-input";
import { MAX_ITEMS } from "@/lib/requests/limits";

/*
 * A change to many keys at once, chosen on the keys page: which keys one request can hold, and
 * the items each bulk form files. A request changes one HSM and holds at most MAX_ITEMS items,
 * so a selection across HSMs or above the limit is refused here, in words, before filing.
 * Pure, for client components.
 */

export const BULK_LIMIT = MAX_ITEMS;
/** The page size the keys API allows at most; the matching keys are read in pages of it. */
export const MATCHING_PAGE_SIZE = 100;

/** A selected key: enough to file a change for it and to say why it is left out of one. */
export interface SelectedKey {
  hsm: string;
  name: string;
  /** The mirror's view of its rotation policy ("unknown": not read yet). */
  policyState: "rotates" | "expiry-only" | "none" | "unknown";
}

export const selectionId = (key: Pick<SelectedKey, "hsm" | "name">) => `${key.hsm}/${key.name}`;

/** The one HSM a selection changes, or why it cannot be filed as one request. */
export function selectionTarget(
  selected: readonly SelectedKey[],
): { hsm: string; problem: null } | { hsm: null; problem: string } {
  const hsms = [...new Set(selected.map((key) => key.hsm))].sort();
  if (hsms.length === 0) return { hsm: null, problem: "Select at least one key." };
  if (hsms.length > 1)
    return {
      hsm: null,
      problem: `The selection spans ${hsms.join(" and ")}; a request changes one HSM. Filter by HSM and select again.`,
    };
  if (selected.length > BULK_LIMIT)
    return {
      hsm: null,
      problem: `A request holds at most ${BULK_LIMIT} keys; ${selected.length} are selected.`,
    };
  return { hsm: hsms[0]!, problem: null };
}

/**
 * Why "select every matching key" cannot be offered for a filter, or null when it can: the
 * matches must fit in one request and lie in one HSM (the filter names it, or there is one).
 */
export function matchingRefusal({
  total,
  hsmFilter,
  hsmCount,
}: {
  total: number;
  hsmFilter: string | undefined;
  hsmCount: number;
}): string | null {
  if (total > BULK_LIMIT)
    return `${total} keys match; narrow the filter to ${BULK_LIMIT} or fewer to select them all.`;
  if (hsmFilter === undefined && hsmCount > 1)
    return "Filter by one HSM to select every matching key.";
  return null;
}

/** The page numbers that read every matching key. */
export const matchingPages = (total: number): number[] =>
  Array.from({ length: Math.ceil(total / MATCHING_PAGE_SIZE) }, (_, i) => i + 1);

/**
 * Managed HSM rotates on demand only a key with a rotation policy: those without one are left
 * out of a bulk rotation (and named), instead of failing the request at filing.
 */
export function splitRotatable(selected: readonly SelectedKey[]): {
  rotatable: SelectedKey[];
  skipped: SelectedKey[];
} {
  return {
    rotatable: selected.filter((key) => key.policyState !== "none"),
    skipped: selected.filter((key) => key.policyState === "none"),
  };
}

/** What a destructive bulk change asks to have typed before it can be filed. */
export const bulkConfirmation = (verb: string, count: number) =>
  `${verb} ${count} ${count === 1 ? "key" : "keys"}`;

export interface BulkPropertiesDraft {
  enabled: "keep" | "enable" | "disable";
  expiry: "keep" | "set" | "never";
  /** UTC datetime-local text, read when `expiry` is "set". */
  expires: string;
}

export type BulkPropertiesField = "enabled" | "expires";

/**
 * The `key.update` items of a bulk properties change: the same enabled state and expiry for
 * every key; what is kept as is stays out of the items, so each key keeps its own value.
 */
export function bulkPropertiesItems(
  names: readonly string[],
  draft: BulkPropertiesDraft,
  now: number,
):
  | { items: Record<string, unknown>[]; errors?: undefined; form?: undefined }
  | { items?: undefined; errors: Partial<Record<BulkPropertiesField, string>>; form?: string } {
  const change: { enabled?: boolean; expiresOn?: string | null } = {};
  if (draft.enabled !== "keep") change.enabled = draft.enabled === "enable";
  if (draft.expiry === "never") change.expiresOn = null;
  if (draft.expiry === "set") {
    const expires = fromUtcInput(draft.expires);
    if (!expires) return { errors: { expires: "Enter a date and time (UTC)." } };
    if (Date.parse(expires) <= now)
      return { errors: { expires: "The expiry must be in the future; a past one disables use." } };
    change.expiresOn = expires;
  }
  if (Object.keys(change).length === 0)
    return { errors: {}, form: "Choose what to change: enabled, expiry or both." };
  return { items: names.map((key) => ({ key, ...change })) };
}
