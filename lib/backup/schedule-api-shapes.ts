import { z } from "zod";

/* GET /api/backups/schedules's answer as a zod schema, for the OpenAPI document. */

const RUN_STATES = ["running", "succeeded", "failed", "missed", "interrupted"] as const;

export const backupScheduleShape = z
  .object({
    hsm: z.string(),
    name: z.string().meta({ example: "nightly" }),
    cron: z.string().meta({ example: "0 2 * * *" }),
    cronInWords: z.string().meta({ example: "At 02:00, every day (Europe/Berlin)" }),
    timeZone: z.string().meta({ example: "Europe/Berlin" }),
    container: z.string().meta({ example: "https://contoso.blob.core.windows.net/hsm-backups" }),
    auth: z.enum(["sas", "managed-identity"]),
    retention: z.object({
      keepLast: z.number().int().nullable(),
      maxAgeDays: z.number().int().nullable(),
    }),
    paused: z.boolean(),
    nextRunAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "The next scheduled time; null while paused" }),
    lastRun: z
      .object({
        id: z.string(),
        outcome: z.enum(RUN_STATES),
        scheduledFor: z.iso.datetime().nullable(),
        finishedAt: z.iso.datetime().nullable(),
      })
      .nullable()
      .meta({ description: "The schedule's latest run (or missed time); null before the first" }),
    updatedAt: z.iso.datetime(),
    updatedByRequest: z.string().meta({
      description:
        "The id of the change request that last set the schedule; `seed` for a schedule the demo seed wrote as an administrator",
    }),
  })
  .meta({ id: "BackupSchedule" });

export const backupScheduleListShape = z.object({ schedules: z.array(backupScheduleShape) });

export type BackupScheduleView = z.infer<typeof backupScheduleShape>;
