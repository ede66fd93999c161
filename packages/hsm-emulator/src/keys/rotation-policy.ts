import { addDuration, lastsAtLeast, parseDuration, subtractDuration } from "../duration";
import { badParameter } from "../errors";
import type { RotationPolicyInput } from "./schemas";

/*
 * Managed HSM's own rotation-policy rules (key-rotation documentation): Rotate is the only
 * action (no Notify: Managed HSM has no Event Grid), each action at most once, expiryTime and
 * timeAfterCreate at least 28 days, and timeBeforeExpiry at most expiryTime minus 28 days.
 */

export interface RotationPolicy {
  lifetimeActions: {
    trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
    action: { type: "Rotate" };
  }[];
  attributes: { expiryTime?: string; created: number; updated: number };
}

const MINIMUM_DAYS = 28;

function invalid(detail: string): never {
  throw badParameter(`The key rotation policy is invalid: ${detail}`);
}

function duration(text: string, field: string) {
  const parsed = parseDuration(text);
  if (!parsed) invalid(`${field} "${text}" is not an ISO-8601 duration such as P90D.`);
  return parsed;
}

/** Validates a PUT body and returns the policy to store (`created` kept from the old one). */
export function validateRotationPolicy(
  input: RotationPolicyInput,
  nowSeconds: number,
  previous: RotationPolicy | null,
): RotationPolicy {
  const now = nowSeconds * 1000;
  const expiryTime = input.attributes?.expiryTime;
  const expiry = expiryTime ? duration(expiryTime, "expiryTime") : undefined;
  if (expiry && !lastsAtLeast(expiry, MINIMUM_DAYS, now))
    invalid("expiryTime must be at least 28 days (P28D) on Managed HSM.");

  const actions = input.lifetimeActions ?? [];
  const seen = new Set<string>();
  const lifetimeActions = actions.map((entry) => {
    const type = entry.action.type.toLowerCase();
    if (type === "notify") invalid("Managed HSM does not support the Notify action; use Rotate.");
    if (type !== "rotate") invalid(`unknown action type "${entry.action.type}".`);
    if (seen.has(type)) invalid("each action type may appear only once.");
    seen.add(type);
    const { timeAfterCreate, timeBeforeExpiry } = entry.trigger;
    if ((timeAfterCreate === undefined) === (timeBeforeExpiry === undefined))
      invalid("a trigger has exactly one of timeAfterCreate and timeBeforeExpiry.");
    if (
      timeAfterCreate !== undefined &&
      !lastsAtLeast(duration(timeAfterCreate, "timeAfterCreate"), MINIMUM_DAYS, now)
    )
      invalid(
        "keys cannot rotate more often than every 28 days: timeAfterCreate must be at least P28D.",
      );
    if (timeBeforeExpiry !== undefined) {
      const before = duration(timeBeforeExpiry, "timeBeforeExpiry");
      if (!expiry) invalid("a timeBeforeExpiry trigger needs attributes.expiryTime.");
      const latestTrigger = subtractDuration(addDuration(now, expiry), before);
      if (latestTrigger - now < MINIMUM_DAYS * 86_400_000)
        invalid("timeBeforeExpiry must be at most expiryTime minus 28 days.");
    }
    return {
      trigger:
        timeAfterCreate !== undefined
          ? { timeAfterCreate }
          : { timeBeforeExpiry: timeBeforeExpiry! },
      action: { type: "Rotate" as const },
    };
  });

  return {
    lifetimeActions,
    attributes: {
      ...(expiryTime ? { expiryTime } : {}),
      created: previous?.attributes.created ?? nowSeconds,
      updated: nowSeconds,
    },
  };
}

/** When the latest version is due for automatic rotation (epoch seconds), or null if never. */
export function rotationDueAt(
  policy: RotationPolicy,
  latest: { created: number; exp: number | null },
): number | null {
  const action = policy.lifetimeActions[0];
  if (!action) return null;
  if (action.trigger.timeAfterCreate)
    return Math.floor(
      addDuration(latest.created * 1000, parseDuration(action.trigger.timeAfterCreate)!) / 1000,
    );
  if (action.trigger.timeBeforeExpiry && latest.exp !== null)
    return Math.floor(
      subtractDuration(latest.exp * 1000, parseDuration(action.trigger.timeBeforeExpiry)!) / 1000,
    );
  return null;
}

/** The expiry a new version gets from the policy (epoch seconds), or null. */
export function expiryForNewVersion(
  policy: RotationPolicy | null,
  nowSeconds: number,
): number | null {
  const expiryTime = policy?.attributes.expiryTime;
  return expiryTime
    ? Math.floor(addDuration(nowSeconds * 1000, parseDuration(expiryTime)!) / 1000)
    : null;
}
