import { fromUtcInput, toUtcInput } from "@/lib/format/utc-input";
import { keyCreateItem } from "@/lib/requests/item-schemas";

/*
 * What the key forms hold, turned into change-request items: the key types Managed HSM makes,
 * the operations each allows, tags as editable rows, dates typed in UTC, and a key's property
 * edits as the changes alone. Pure, shared by the forms and their tests; the items are checked
 * with the same zod schemas the API parses them with.
 */

export type KeyFamily = "RSA" | "EC" | "oct";

export const KEY_TYPES = [
  { id: "RSA-2048", label: "RSA 2048", kty: "RSA", size: 2048 },
  { id: "RSA-3072", label: "RSA 3072", kty: "RSA", size: 3072 },
  { id: "RSA-4096", label: "RSA 4096", kty: "RSA", size: 4096 },
  { id: "EC-P-256", label: "EC P-256", kty: "EC", curve: "P-256" },
  { id: "EC-P-256K", label: "EC P-256K (secp256k1)", kty: "EC", curve: "P-256K" },
  { id: "EC-P-384", label: "EC P-384", kty: "EC", curve: "P-384" },
  { id: "EC-P-521", label: "EC P-521", kty: "EC", curve: "P-521" },
  { id: "AES-128", label: "AES 128", kty: "oct", size: 128 },
  { id: "AES-192", label: "AES 192", kty: "oct", size: 192 },
  { id: "AES-256", label: "AES 256", kty: "oct", size: 256 },
] as const satisfies readonly {
  id: string;
  label: string;
  kty: KeyFamily;
  size?: number;
  curve?: string;
}[];

export type KeyTypeId = (typeof KEY_TYPES)[number]["id"];

export type KeyOperation = "encrypt" | "decrypt" | "sign" | "verify" | "wrapKey" | "unwrapKey";

/**
 * The operations each type can perform, all ticked by default: what the HSM itself gives a key
 * created without `key_ops`. Untick what the key will not do.
 */
export const KEY_OPERATIONS: Record<KeyFamily, readonly KeyOperation[]> = {
  RSA: ["sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey"],
  EC: ["sign", "verify"],
  oct: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
};

export function keyTypeOf(id: string) {
  return KEY_TYPES.find((type) => type.id === id);
}

/* ---------- tags ---------- */

export interface TagRow {
  name: string;
  value: string;
}

/** Managed HSM: at most 15 tags a key, names and values up to 256 characters. */
export const MAX_TAGS = 15;
const TAG_TEXT_MAX = 256;

export type TagsResult =
  | { tags: Record<string, string>; errors: null }
  | { tags: null; errors: { row: number | null; message: string }[] };

/**
 * Tags from rows (blank rows are skipped) plus the ones the form sets itself (`fixed`, such as
 * the owner group, whose names no row may use). A row error names its row; null is the whole set.
 */
export function tagsFromRows(
  rows: readonly TagRow[],
  fixed: Record<string, string> = {},
): TagsResult {
  const tags: Record<string, string> = {};
  const errors: { row: number | null; message: string }[] = [];
  rows.forEach((row, index) => {
    const name = row.name.trim();
    if (name === "" && row.value === "") return;
    if (name === "") errors.push({ row: index, message: "A tag needs a name." });
    else if (name.length > TAG_TEXT_MAX || row.value.length > TAG_TEXT_MAX)
      errors.push({
        row: index,
        message: `Names and values are at most ${TAG_TEXT_MAX} characters.`,
      });
    else if (Object.hasOwn(fixed, name) || name === "owner")
      errors.push({ row: index, message: `Set "${name}" with its own field above.` });
    else if (Object.hasOwn(tags, name))
      errors.push({ row: index, message: `The tag "${name}" is already set in another row.` });
    else tags[name] = row.value;
  });
  for (const [name, value] of Object.entries(fixed)) if (value !== "") tags[name] = value;
  if (errors.length === 0 && Object.keys(tags).length > MAX_TAGS)
    errors.push({ row: null, message: `A key holds at most ${MAX_TAGS} tags.` });
  return errors.length > 0 ? { tags: null, errors } : { tags, errors: null };
}

/** A key's tags as rows, leaving out those the form shows in their own field. */
export function rowsFromTags(tags: Record<string, string>, omit: readonly string[] = []): TagRow[] {
  return Object.entries(tags)
    .filter(([name]) => !omit.includes(name))
    .map(([name, value]) => ({ name, value }));
}

/* ---------- dates, typed in UTC ---------- */

/* ---------- a new key ---------- */

export interface NewKeyDraft {
  name: string;
  type: string;
  keyOps: readonly string[];
  tags: Record<string, string>;
  /** UTC datetime-local text; "" for a key that never expires. */
  expires: string;
}

export type NewKeyField = "name" | "type" | "keyOps" | "tags" | "expires";

/** The `key.create` item of the form, or each field's first error. */
export function newKeyItem(
  draft: NewKeyDraft,
  now: number,
):
  | { item: Record<string, unknown>; errors: null }
  | { item: null; errors: Partial<Record<NewKeyField, string>> } {
  const errors: Partial<Record<NewKeyField, string>> = {};
  const type = keyTypeOf(draft.type);
  if (!type) errors.type = "Choose a key type.";
  const expiresOn = fromUtcInput(draft.expires);
  if (expiresOn === undefined) errors.expires = "Enter a date and time (UTC).";
  else if (expiresOn !== null && Date.parse(expiresOn) <= now)
    errors.expires = "The expiry must be in the future.";
  if (type && draft.keyOps.length === 0) errors.keyOps = "Allow at least one operation.";
  const item = {
    key: draft.name.trim(),
    kty: type?.kty ?? "RSA",
    ...(type && "size" in type ? { size: type.size } : {}),
    ...(type && "curve" in type ? { curve: type.curve } : {}),
    keyOps: [...draft.keyOps],
    ...(Object.keys(draft.tags).length > 0 ? { tags: draft.tags } : {}),
    ...(expiresOn ? { expiresOn } : {}),
  };
  const parsed = keyCreateItem.safeParse(item);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const member = String(issue.path[0] ?? "");
      const field: NewKeyField =
        member === "key"
          ? "name"
          : member === "keyOps" || member === "tags"
            ? member
            : member === "expiresOn"
              ? "expires"
              : "type";
      errors[field] ??= field === "name" ? `The name ${issue.message}.` : issue.message;
    }
  return Object.keys(errors).length > 0 ? { item: null, errors } : { item, errors: null };
}

/* ---------- a key's properties ---------- */

export interface KeyProperties {
  enabled: boolean;
  notBefore: number | null;
  expiresAt: number | null;
  tags: Record<string, string>;
}

export interface PropertiesDraft {
  enabled: boolean;
  /** UTC datetime-local text; "" for none. */
  notBefore: string;
  expires: string;
  tags: Record<string, string>;
}

export type PropertyField = "enabled" | "notBefore" | "expires" | "tags";

export interface PropertyChanges {
  enabled?: boolean;
  notBefore?: string | null;
  expiresOn?: string | null;
  tags?: Record<string, string>;
}

const sameTags = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([name, value]) => b[name] === value);

/**
 * What a `key.update` item changes: only the properties the form changed (tags replace every
 * tag, so they go whole). A date left as shown is unchanged even if the key's has seconds.
 */
export function propertyChanges(
  current: KeyProperties,
  draft: PropertiesDraft,
):
  | { changes: PropertyChanges; errors: null }
  | { changes: null; errors: Partial<Record<PropertyField, string>> } {
  const errors: Partial<Record<PropertyField, string>> = {};
  const changes: PropertyChanges = {};
  if (draft.enabled !== current.enabled) changes.enabled = draft.enabled;
  const dates = [
    ["notBefore", "notBefore", current.notBefore],
    ["expires", "expiresOn", current.expiresAt],
  ] as const;
  for (const [field, member, value] of dates) {
    if (draft[field] === toUtcInput(value)) continue;
    const parsed = fromUtcInput(draft[field]);
    if (parsed === undefined) errors[field] = "Enter a date and time (UTC).";
    else changes[member] = parsed;
  }
  const from = fromUtcInput(draft.notBefore);
  const until = fromUtcInput(draft.expires);
  if (from && until && Date.parse(from) >= Date.parse(until))
    errors.expires ??= "The expiry must come after the start of validity.";
  if (!sameTags(current.tags, draft.tags)) changes.tags = draft.tags;
  if (Object.keys(errors).length > 0) return { changes: null, errors };
  return { changes, errors: null };
}
