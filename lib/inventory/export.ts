import { toCsv } from "@/lib/format/csv";
import type { InventoryKey } from "@/lib/inventory/keys";

/* The keys export: one row per key, the columns an auditor asks for, dates in ISO 8601 UTC. */

const iso = (value: number | null) => (value === null ? null : new Date(value).toISOString());

const HEADER = [
  "hsm",
  "name",
  "type",
  "size",
  "curve",
  "enabled",
  "not_before",
  "expires",
  "created",
  "updated",
  "versions",
  "rotation_policy",
  "next_rotation",
  "owner",
  "tags",
] as const;

export function keysCsv(keys: InventoryKey[]): string {
  return toCsv(
    HEADER,
    keys.map((key) => [
      key.hsm,
      key.name,
      key.kty,
      key.keySize,
      key.curve,
      key.enabled,
      iso(key.notBefore),
      iso(key.expiresAt),
      iso(key.createdAt),
      iso(key.updatedAt),
      key.versionCount,
      key.policyState,
      iso(key.nextRotationAt),
      key.owner,
      Object.entries(key.tags)
        .map(([tag, value]) => `${tag}=${value}`)
        .join("; "),
    ]),
  );
}
