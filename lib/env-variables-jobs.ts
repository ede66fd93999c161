import { z } from "zod";

/*
 * How often the portal's background jobs run: the inventory sync, the grant expiry job, the
 * backup scheduler and the directory refresh. Kept apart from lib/env-variables.ts only for size;
 * that file spreads them into ENV_VARIABLES, the one list lib/env.ts reads.
 */

export const minutes = z.coerce
  .number()
  .int("must be a whole number")
  .min(1)
  .max(24 * 60, "must be at most 1440");
export const hours = z.coerce
  .number()
  .int("must be a whole number")
  .min(1)
  .max(7 * 24, "must be at most 168");

export const JOB_VARIABLES = [
  {
    name: "KEYWARD_SYNC_INTERVAL_MINUTES",
    scope: "all",
    description:
      "Minutes between incremental syncs of each HSM into the inventory mirror; 0 turns scheduled syncs off.",
    example: "10",
    defaultValue: "5",
    schema: z.coerce
      .number()
      .int("must be a whole number")
      .min(0)
      .max(1440, "must be at most 1440"),
  },
  {
    name: "KEYWARD_FULL_SYNC_HOURS",
    scope: "all",
    description:
      "Hours after which the scheduled sync of an HSM is a full one (every key's policy and assignments re-read) instead of incremental.",
    example: "12",
    defaultValue: "24",
    schema: hours,
  },
  {
    name: "KEYWARD_GRANT_EXPIRY_SECONDS",
    scope: "all",
    description:
      "Seconds between the grant expiry job's looks for time-limited role grants whose end has come (it removes their role assignments); a grant ends at most this long after its time.",
    example: "15",
    defaultValue: "30",
    schema: z.coerce
      .number()
      .int("must be a whole number")
      .min(5, "must be at least 5")
      .max(600, "must be at most 600"),
  },
  {
    name: "KEYWARD_BACKUP_SCHEDULER_SECONDS",
    scope: "all",
    description:
      "Seconds between the backup scheduler's looks at the backup schedules (due runs start, missed times are recorded); 0 turns scheduled backups off.",
    example: "30",
    defaultValue: "60",
    schema: z.coerce
      .number()
      .int("must be a whole number")
      .min(0)
      .max(3600, "must be at most 3600"),
  },
  {
    name: "KEYWARD_DIRECTORY_REFRESH_MINUTES",
    scope: "all",
    description:
      "Minutes after which the directory cache (names, groups, portal role holders from Microsoft Graph) is refreshed; principals never seen before are looked up at the next sync.",
    example: "30",
    defaultValue: "60",
    schema: minutes,
  },
] as const;
