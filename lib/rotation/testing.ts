import type { RotationTerms } from "@/lib/rotation/policy";

/** A rotation policy for tests: one "Rotate" action on the trigger given (or none), and the expiry. */
export function rotationPolicy(
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string } | null,
  expiresIn: string | null = null,
): RotationTerms {
  return {
    lifetimeActions: trigger
      ? [
          {
            action: "Rotate",
            timeAfterCreate: trigger.timeAfterCreate ?? null,
            timeBeforeExpiry: trigger.timeBeforeExpiry ?? null,
          },
        ]
      : [],
    expiresIn,
  };
}
