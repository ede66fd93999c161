import { rotationPolicyChange } from "@/lib/requests/item-schemas";
import { addDuration, parseDuration } from "@/lib/rotation/duration";
import type { RotationTerms } from "@/lib/rotation/policy";
import { keyEvents, policyViolation } from "@/lib/rotation/schedule";

/*
 * The rotation-policy editor's maths, pure: a policy as the form holds it (an amount and a unit,
 * as Azure's own portal asks), the policy it files (checked with the API's schema and Managed
 * HSM's rules), and the rotations it would bring, for the preview shown while typing.
 */

export const DURATION_UNITS = [
  ["D", "days"],
  ["W", "weeks"],
  ["M", "months"],
  ["Y", "years"],
] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number][0];

export type Trigger = "after-create" | "before-expiry" | "none";

export interface PolicyDraft {
  trigger: Trigger;
  /** The trigger's amount as typed; ignored when the trigger is "none". */
  every: string;
  everyUnit: DurationUnit;
  /** How long new versions live, as typed; "" for versions that never expire. */
  expiresIn: string;
  expiresInUnit: DurationUnit;
}

export type PolicyField = "every" | "expiresIn";

export interface PolicyChange {
  lifetimeActions: { action: "Rotate"; timeAfterCreate?: string; timeBeforeExpiry?: string }[];
  expiresIn: string | null;
}

/** A policy as filed, in the terms the rotation rules read (absent triggers are null). */
export function termsOfChange(policy: PolicyChange): RotationTerms {
  return {
    lifetimeActions: policy.lifetimeActions.map((a) => ({
      action: a.action,
      timeAfterCreate: a.timeAfterCreate ?? null,
      timeBeforeExpiry: a.timeBeforeExpiry ?? null,
    })),
    expiresIn: policy.expiresIn,
  };
}

/** One ISO 8601 duration as an amount and a unit: P1Y6M → 18 months; P2W3D → 17 days. */
function amountOf(text: string | null): { amount: string; unit: DurationUnit } | null {
  const d = text ? parseDuration(text) : null;
  if (!d || d.hours || d.minutes || d.seconds) return null;
  const [years, months, weeks, days] = [d.years ?? 0, d.months ?? 0, d.weeks ?? 0, d.days ?? 0];
  if (weeks === 0 && days === 0 && (years > 0 || months > 0))
    return months === 0
      ? { amount: String(years), unit: "Y" }
      : { amount: String(years * 12 + months), unit: "M" };
  if (years === 0 && months === 0)
    return days === 0
      ? { amount: String(weeks), unit: "W" }
      : { amount: String(weeks * 7 + days), unit: "D" };
  return null;
}

/**
 * The form's starting values: the key's policy, or a sensible one (every 90 days, new versions
 * valid a year). `unshown` lists durations the form cannot show as one unit (set through the API).
 */
export function draftFromPolicy(policy: RotationTerms | null): {
  draft: PolicyDraft;
  unshown: string[];
} {
  const rotate = policy?.lifetimeActions.find((a) => a.action.toLowerCase() === "rotate");
  const triggerText = rotate?.timeAfterCreate ?? rotate?.timeBeforeExpiry ?? null;
  const every = amountOf(triggerText);
  const expires = amountOf(policy?.expiresIn ?? null);
  const unshown = [
    ...(triggerText && !every ? [triggerText] : []),
    ...(policy?.expiresIn && !expires ? [policy.expiresIn] : []),
  ];
  return {
    draft: {
      trigger: !policy
        ? "after-create"
        : rotate?.timeBeforeExpiry
          ? "before-expiry"
          : rotate
            ? "after-create"
            : "none",
      every: every?.amount ?? (rotate?.timeBeforeExpiry ? "30" : "90"),
      everyUnit: every?.unit ?? "D",
      expiresIn: expires?.amount ?? (policy ? "" : "1"),
      expiresInUnit: expires?.unit ?? (policy ? "D" : "Y"),
    },
    unshown,
  };
}

function duration(amount: string, unit: DurationUnit): string | null {
  const text = amount.trim();
  return /^[1-9]\d{0,4}$/.test(text) ? `P${text}${unit}` : null;
}

/** The policy the draft files, or each field's error: the API's schema, then Managed HSM's rules. */
export function policyFromDraft(
  draft: PolicyDraft,
  now: number,
):
  | { policy: PolicyChange; errors: null }
  | { policy: null; errors: Partial<Record<PolicyField, string>> } {
  const errors: Partial<Record<PolicyField, string>> = {};
  const every = draft.trigger === "none" ? null : duration(draft.every, draft.everyUnit);
  if (draft.trigger !== "none" && !every) errors.every = "Enter a whole number, 1 or more.";
  const expiresIn =
    draft.expiresIn.trim() === "" ? null : duration(draft.expiresIn, draft.expiresInUnit);
  if (draft.expiresIn.trim() !== "" && !expiresIn)
    errors.expiresIn = "Enter a whole number, 1 or more, or leave it empty.";
  if (draft.trigger === "before-expiry" && draft.expiresIn.trim() === "")
    errors.expiresIn = "Rotating before expiry needs new versions to expire.";
  if (Object.keys(errors).length > 0) return { policy: null, errors };

  const policy: PolicyChange = {
    lifetimeActions: every
      ? [
          {
            action: "Rotate",
            [draft.trigger === "after-create" ? "timeAfterCreate" : "timeBeforeExpiry"]: every,
          },
        ]
      : [],
    expiresIn,
  };
  const parsed = rotationPolicyChange.safeParse(policy);
  if (!parsed.success) return { policy: null, errors: { every: parsed.error.issues[0]!.message } };
  const violation = policyViolation(termsOfChange(policy), now);
  if (violation)
    return {
      policy: null,
      errors: violation.startsWith("expiryTime")
        ? { expiresIn: `Managed HSM: ${violation}.` }
        : { every: `Managed HSM: ${violation}.` },
    };
  return { policy, errors: null };
}

export interface RotationPreview {
  /** The next rotations, each with the expiry of the version it creates. */
  rotations: { at: number; newVersionExpiresAt: number | null }[];
  /** The first rotation is due already: the HSM makes it soon after the policy is set. */
  dueNow: boolean;
  /** Why there is no rotation ahead, when there is none. */
  none: "no-trigger" | "current-never-expires" | "current-expires-first" | null;
  /** The current version's expiry, when it comes before any rotation. */
  currentExpiresAt: number | null;
}

const HORIZON_MS = 5 * 366 * 86_400_000;

/**
 * The next `count` rotations the policy would bring for a key whose current version was made at
 * `createdAt` and expires at `expiresAt`. The policy does not change the current version: its
 * expiry stays, and only versions made by rotations get the policy's expiry.
 */
export function previewRotations(
  policy: PolicyChange,
  current: { createdAt: number; expiresAt: number | null },
  now: number,
  count = 4,
): RotationPreview {
  const terms = termsOfChange(policy);
  const timeline = { hsm: "", name: "", policy: terms, ...current };
  let events = keyEvents(timeline, { from: current.createdAt, to: now + HORIZON_MS });
  const first = events[0];
  const dueNow = first?.kind === "rotation" && first.at <= now;
  if (dueNow) {
    // Rotated now, the chain restarts from a version made now, with the policy's expiry.
    const lifetime = policy.expiresIn ? parseDuration(policy.expiresIn) : null;
    const expiresAt = lifetime ? addDuration(now, lifetime) : null;
    events = [
      { ...first, at: now, newVersionExpiresAt: expiresAt },
      ...keyEvents(
        { ...timeline, createdAt: now, expiresAt },
        { from: now + 1, to: now + HORIZON_MS },
      ),
    ];
  }
  const rotations = events
    .filter((event) => event.kind === "rotation")
    .slice(0, count)
    .map((event) => ({ at: event.at, newVersionExpiresAt: event.newVersionExpiresAt ?? null }));
  const expiresFirst = first?.kind === "expiry" ? first.at : null;
  const none =
    rotations.length > 0
      ? null
      : terms.lifetimeActions.length === 0
        ? "no-trigger"
        : expiresFirst !== null
          ? "current-expires-first"
          : current.expiresAt === null && terms.lifetimeActions[0]?.timeBeforeExpiry
            ? "current-never-expires"
            : null;
  return { rotations, dueNow, none, currentExpiresAt: expiresFirst };
}
