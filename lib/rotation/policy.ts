import type { Duration } from "date-fns";

import { addDuration, parseDuration, subtractDuration } from "@/lib/rotation/duration";

/*
 * Rotation-policy maths, pure: what state a key's policy is in, when it next rotates, and the
 * policy in words. The HSM rotates a key when the latest version reaches the trigger: a time
 * after that version's creation, or a time before its expiry.
 */

export type PolicyState = "none" | "rotates" | "expiry-only";

/** What the rotation maths reads of a key's rotation policy (the HSM's policy says more). */
export interface RotationTerms {
  lifetimeActions: readonly {
    action: string;
    timeAfterCreate: string | null;
    timeBeforeExpiry: string | null;
  }[];
  /** ISO 8601 duration a new version lives, if the policy sets one. */
  expiresIn: string | null;
}

function rotateAction(policy: RotationTerms | null) {
  return policy?.lifetimeActions.find((entry) => entry.action.toLowerCase() === "rotate");
}

export function policyState(policy: RotationTerms | null): PolicyState {
  if (rotateAction(policy)) return "rotates";
  return policy?.expiresIn ? "expiry-only" : "none";
}

/** When the HSM will next rotate the key, or null if its policy never will (or cannot tell). */
export function nextRotationAt(
  policy: RotationTerms | null,
  latest: { createdOn: number; expiresOn: number | null },
): number | null {
  const action = rotateAction(policy);
  const after = action?.timeAfterCreate ? parseDuration(action.timeAfterCreate) : null;
  if (after) return addDuration(latest.createdOn, after);
  const before = action?.timeBeforeExpiry ? parseDuration(action.timeBeforeExpiry) : null;
  if (before && latest.expiresOn !== null) return subtractDuration(latest.expiresOn, before);
  return null;
}

const UNITS: [keyof Duration, string][] = [
  ["years", "year"],
  ["months", "month"],
  ["weeks", "week"],
  ["days", "day"],
  ["hours", "hour"],
  ["minutes", "minute"],
  ["seconds", "second"],
];

/** "P1Y6M" → "1 year 6 months"; unparseable text is returned as it is. */
export function durationInWords(text: string): string {
  const duration = parseDuration(text);
  if (!duration) return text;
  const parts = UNITS.flatMap(([unit, word]) => {
    const amount = duration[unit] ?? 0;
    return amount > 0 ? [`${amount} ${word}${amount === 1 ? "" : "s"}`] : [];
  });
  return parts.length > 0 ? parts.join(" ") : "0 days";
}

export function describePolicy(policy: RotationTerms | null): string {
  const action = rotateAction(policy);
  const rotation = action?.timeAfterCreate
    ? `Rotates automatically ${durationInWords(action.timeAfterCreate)} after each version is created.`
    : action?.timeBeforeExpiry
      ? `Rotates automatically ${durationInWords(action.timeBeforeExpiry)} before the current version expires.`
      : "Does not rotate automatically.";
  const expiry = policy?.expiresIn
    ? ` New versions expire ${durationInWords(policy.expiresIn)} after they are created.`
    : "";
  return policy ? `${rotation}${expiry}` : "No rotation policy: the key never rotates on its own.";
}
