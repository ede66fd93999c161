import { z } from "zod";

/*
 * The settings of backups. Kept apart from lib/env-variables.ts only for size; that file spreads
 * them into ENV_VARIABLES, the one list lib/env.ts reads.
 */

export const BACKUP_VARIABLES = [
  {
    name: "KEYWARD_BACKUP_STALE_HOURS",
    scope: "all",
    description:
      "Hours after an HSM's last good backup (scheduled, manual or safety) at which the portal calls it stale and posts `keyward.backup.stale` to the notification webhook (`keyward.backup.fresh` once a good backup ends it).",
    example: "50",
    defaultValue: "26",
    schema: z.coerce
      .number()
      .min(1, "must be at least 1 hour")
      .max(24 * 366, "must be at most a year of hours"),
  },
] as const;
