import { csvBatches } from "@/lib/format/csv";
import {
  describePolicy,
  nextRotationAt,
  policyState,
  type RotationTerms,
} from "@/lib/rotation/policy";
import { keyHealth, type HealthKind } from "@/lib/rotation/schedule";

/*
 * The pack's key files: the inventory with each key's cryptoperiod status, and rotation
 * compliance (on time, late, never rotated) against each key's own policy. Pure: the clock is
 * passed in.
 */

const DAY_MS = 86_400_000;
/** The HSM rotates on its own schedule: a day late is not yet late (as the calendar counts). */
const LATE_GRACE_MS = DAY_MS;

export interface EvidenceKey {
  hsm: string;
  name: string;
  kty: string | null;
  keySize: number | null;
  curve: string | null;
  keyOps: string[];
  enabled: boolean;
  /** When the current version was created. */
  createdAt: number;
  expiresAt: number | null;
  updatedAt: number;
  versionCount: number | null;
  policy: RotationTerms | null;
  owner: string | null;
  tags: Record<string, string>;
}

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** Most pressing first: the one word an auditor filters on. */
const STATUS_ORDER: readonly HealthKind[] = [
  "expired",
  "rotation-overdue",
  "invalid-policy",
  "expires-before-rotation",
  "no-policy",
  "no-expiry",
];

/** "ok" when nothing is wrong, else the most pressing health kind; and every finding in words. */
export function cryptoperiodStatus(
  key: EvidenceKey,
  now: number,
): { status: "ok" | HealthKind; detail: string } {
  const findings = keyHealth(key, now);
  if (findings.length === 0) return { status: "ok", detail: "" };
  const first = STATUS_ORDER.find((kind) => findings.some((f) => f.kind === kind))!;
  return { status: first, detail: findings.map((f) => f.detail).join(" ") };
}

export const INVENTORY_HEADER = [
  "hsm",
  "name",
  "type",
  "size",
  "curve",
  "operations",
  "enabled",
  "current_version_created",
  "expires",
  "updated",
  "versions",
  "rotation_policy",
  "cryptoperiod_status",
  "cryptoperiod_detail",
  "owner",
  "tags",
] as const;

/** The inventory, from the keys a batch at a time. */
export function inventoryCsv(
  keys: AsyncIterable<readonly EvidenceKey[]>,
  now: number,
): AsyncGenerator<string[]> {
  return csvBatches(INVENTORY_HEADER, keys, (key) => {
    const { status, detail } = cryptoperiodStatus(key, now);
    return [
      key.hsm,
      key.name,
      key.kty,
      key.keySize,
      key.curve,
      key.keyOps.join(" "),
      key.enabled,
      iso(key.createdAt),
      iso(key.expiresAt),
      iso(key.updatedAt),
      key.versionCount,
      describePolicy(key.policy),
      status,
      detail,
      key.owner,
      JSON.stringify(key.tags),
    ];
  });
}

export type RotationCompliance = "on-time" | "late" | "never-rotated" | "no-policy";

/**
 * A key against its own policy: no rotating policy; on time while the policy's next rotation
 * (from the current version) has not passed by more than the grace; past it, late when the key
 * was rotated before, never rotated when it has one version only.
 */
export function rotationCompliance(
  key: Pick<EvidenceKey, "policy" | "createdAt" | "expiresAt" | "versionCount">,
  now: number,
): { compliance: RotationCompliance; dueAt: number | null; daysLate: number } {
  const dueAt =
    policyState(key.policy) === "rotates"
      ? nextRotationAt(key.policy, { createdOn: key.createdAt, expiresOn: key.expiresAt })
      : null;
  if (dueAt === null) return { compliance: "no-policy", dueAt, daysLate: 0 };
  if (dueAt + LATE_GRACE_MS >= now) return { compliance: "on-time", dueAt, daysLate: 0 };
  return {
    compliance: (key.versionCount ?? 1) <= 1 ? "never-rotated" : "late",
    dueAt,
    daysLate: Math.floor((now - dueAt) / DAY_MS),
  };
}

export const ROTATION_HEADER = [
  "hsm",
  "name",
  "rotation_policy",
  "versions",
  "current_version_created",
  "rotation_due",
  "compliance",
  "days_late",
] as const;

/** Rotation compliance, from the keys a batch at a time. */
export function rotationComplianceCsv(
  keys: AsyncIterable<readonly EvidenceKey[]>,
  now: number,
): AsyncGenerator<string[]> {
  return csvBatches(ROTATION_HEADER, keys, (key) => {
    const { compliance, dueAt, daysLate } = rotationCompliance(key, now);
    return [
      key.hsm,
      key.name,
      describePolicy(key.policy),
      key.versionCount,
      iso(key.createdAt),
      iso(dueAt),
      compliance,
      daysLate,
    ];
  });
}
