import { addDuration, lastsAtLeast, parseDuration } from "@/lib/rotation/duration";
import { nextRotationAt, policyState, type RotationTerms } from "@/lib/rotation/policy";

/*
 * A key's future, computed from its rotation policy, its current version's creation and expiry:
 * every rotation the HSM will perform over a horizon (each new version created at the rotation
 * and given the policy's expiryTime), and the expiries that will really happen — a version's
 * expiry counts only when no rotation replaces it first. Pure and table-tested.
 */

export interface KeyTimeline {
  hsm: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  policy: RotationTerms | null;
}

export type KeyEventKind = "rotation" | "expiry";

export interface KeyEvent {
  hsm: string;
  name: string;
  kind: KeyEventKind;
  at: number;
  /** 0 for the current version, 1 for the version the next rotation creates, … */
  version: number;
  /** For rotations: when the version it creates will expire (the policy's expiryTime), if ever. */
  newVersionExpiresAt?: number | null;
}

/** More would mean a rotation more often than Managed HSM allows over any sane horizon. */
const MAX_ROTATIONS = 500;

export function keyEvents(key: KeyTimeline, window: { from: number; to: number }): KeyEvent[] {
  const events: KeyEvent[] = [];
  const inWindow = (at: number) => at >= window.from && at < window.to;
  const lifetime = key.policy?.expiresIn ? parseDuration(key.policy.expiresIn) : null;
  let created = key.createdAt;
  let expires = key.expiresAt;
  for (let version = 0; version <= MAX_ROTATIONS; version += 1) {
    const rotation = nextRotationAt(key.policy, { createdOn: created, expiresOn: expires });
    const rotates = rotation !== null && rotation > created;
    if (expires !== null && (!rotates || expires <= rotation)) {
      if (inWindow(expires))
        events.push({ hsm: key.hsm, name: key.name, kind: "expiry", at: expires, version });
      return events;
    }
    if (!rotates || rotation >= window.to) return events;
    const nextExpiry = lifetime ? addDuration(rotation, lifetime) : null;
    if (inWindow(rotation))
      events.push({
        hsm: key.hsm,
        name: key.name,
        kind: "rotation",
        at: rotation,
        version: version + 1,
        newVersionExpiresAt: nextExpiry,
      });
    created = rotation;
    expires = nextExpiry;
  }
  return events;
}

export type HealthKind =
  | "no-policy"
  | "no-expiry"
  | "expired"
  | "expires-before-rotation"
  | "rotation-overdue"
  | "invalid-policy";

export interface HealthFinding {
  kind: HealthKind;
  detail: string;
}

const DAY_MS = 86_400_000;
/** The HSM rotates on its own schedule; a day late is not yet "overdue". */
const OVERDUE_GRACE_MS = DAY_MS;

/** Why a policy breaks Managed HSM's rules (P28D minimums, no Notify), or null. */
export function policyViolation(policy: RotationTerms | null, from: number): string | null {
  if (!policy) return null;
  const expiry = policy.expiresIn ? parseDuration(policy.expiresIn) : null;
  if (policy.expiresIn && !expiry)
    return `expiryTime ${policy.expiresIn} is not an ISO-8601 duration`;
  if (expiry && !lastsAtLeast(expiry, 28, from))
    return `expiryTime ${policy.expiresIn} is shorter than P28D`;
  for (const action of policy.lifetimeActions) {
    if (action.action.toLowerCase() === "notify")
      return "Managed HSM does not support the Notify action";
    const after = action.timeAfterCreate ? parseDuration(action.timeAfterCreate) : null;
    if (after && !lastsAtLeast(after, 28, from))
      return `timeAfterCreate ${action.timeAfterCreate} rotates more often than every 28 days`;
    const before = action.timeBeforeExpiry ? parseDuration(action.timeBeforeExpiry) : null;
    if (
      before &&
      expiry &&
      addDuration(addDuration(from, before), { days: 28 }) > addDuration(from, expiry)
    )
      return `timeBeforeExpiry ${action.timeBeforeExpiry} leaves less than 28 days of an expiryTime of ${policy.expiresIn}`;
  }
  return null;
}

/** What is wrong with a key's rotation and expiry, as of `now`. */
export function keyHealth(key: KeyTimeline, now: number): HealthFinding[] {
  const findings: HealthFinding[] = [];
  if (policyState(key.policy) !== "rotates")
    findings.push({
      kind: "no-policy",
      detail: key.policy ? "The policy has no rotate action." : "No rotation policy.",
    });
  if (key.expiresAt === null)
    findings.push({ kind: "no-expiry", detail: "The current version never expires." });
  else if (key.expiresAt <= now)
    findings.push({ kind: "expired", detail: "The current version has expired." });
  const rotation = nextRotationAt(key.policy, {
    createdOn: key.createdAt,
    expiresOn: key.expiresAt,
  });
  if (
    rotation !== null &&
    key.expiresAt !== null &&
    key.expiresAt > now &&
    key.expiresAt < rotation
  )
    findings.push({
      kind: "expires-before-rotation",
      detail: "The current version expires before the policy rotates it.",
    });
  if (
    rotation !== null &&
    rotation + OVERDUE_GRACE_MS < now &&
    (key.expiresAt === null || key.expiresAt > now)
  )
    findings.push({
      kind: "rotation-overdue",
      detail: "The policy says the key should have rotated already.",
    });
  const violation = policyViolation(key.policy, key.createdAt);
  if (violation) findings.push({ kind: "invalid-policy", detail: `${violation}.` });
  return findings;
}
