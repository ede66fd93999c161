import { z } from "zod";

import { parseInstant, timeRange } from "@/lib/audit/filters";
import { hsmName } from "@/lib/validation/primitives";

/*
 * The period and HSMs an evidence pack covers, as the URL carries them: `from` and `to` are
 * UTC dates (or date-times); a bare `to` date includes that whole day. `hsm` may repeat; none
 * means every configured HSM. Pure.
 */

const DAY_MS = 86_400_000;
/** A pack is a year's evidence, or a few; more is a mistake in the dates. */
export const MAX_PERIOD_DAYS = 5 * 366;

const instant = z
  .string({ message: "must be a date such as 2026-01-01" })
  .trim()
  .refine((value) => !Number.isNaN(parseInstant(value)), {
    message: "must be a real date such as 2026-01-01 or a date-time such as 2026-01-01T00:00:00Z",
  });

export const evidenceQuerySchema = z
  .strictObject({
    from: instant,
    to: instant,
    hsm: z
      .union([hsmName, z.array(hsmName).max(20, "names at most 20 HSMs")])
      .optional()
      .transform((value) => (value === undefined ? [] : [...new Set([value].flat())].sort())),
  })
  .transform((query, context) => {
    // The audit log's reading of a period: a bare `to` date includes that whole day.
    const { from = NaN, to = NaN } = timeRange(query);
    if (to <= from)
      context.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (to - from > MAX_PERIOD_DAYS * DAY_MS)
      context.addIssue({
        code: "custom",
        path: ["to"],
        message: `must be at most ${MAX_PERIOD_DAYS} days after from`,
      });
    return { from, to, hsms: query.hsm };
  });

export type EvidenceQuery = z.output<typeof evidenceQuerySchema>;

/** The HSMs a pack covers: the ones asked for, which must be configured, or all of them. */
export function packHsms(
  asked: readonly string[],
  configured: readonly string[],
): { hsms: string[]; unknown: string[] } {
  if (asked.length === 0) return { hsms: [...configured].sort(), unknown: [] };
  return {
    hsms: asked.filter((h) => configured.includes(h)),
    unknown: asked.filter((h) => !configured.includes(h)),
  };
}

/** The pack's file name: the period's first and last day, in UTC. */
export function packFileName(period: { from: number; to: number }): string {
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return `keyward-evidence-${day(period.from)}-to-${day(period.to - 1)}.zip`;
}
