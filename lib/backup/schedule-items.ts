import { z } from "zod";

import { describeSchedule, scheduleProblem } from "@/lib/backup/schedule";
import { containerUrlProblem } from "@/lib/storage/container-url";

/*
 * The items of `backup-schedule.upsert` and `backup-schedule.delete` requests, as the API takes
 * them, and a schedule's state as the requests compare it (at filing, and again right before
 * the executor writes the row). Pure.
 */

/** A schedule's name: a slug, unique per HSM; the runs and the retention name it. */
export const scheduleName = z
  .string()
  .max(63, "at most 63 characters")
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "must be a slug: lower-case letters, digits and inner hyphens, such as nightly",
  );

export const scheduleUpsertItem = z
  .strictObject({
    name: scheduleName,
    cron: z.string().trim().min(1).max(200),
    timeZone: z.string().min(1).max(64),
    container: z
      .string()
      .max(2048)
      .superRefine((value, ctx) => {
        const problem = containerUrlProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .transform((value) => value.replace(/\/+$/, "")),
    auth: z.enum(["sas", "managed-identity"]),
    retention: z.strictObject({
      keepLast: z.number().int().min(1).max(1000).optional(),
      maxAgeDays: z.number().int().min(1).max(3650).optional(),
    }),
    paused: z.boolean().default(false),
  })
  .superRefine((item, ctx) => {
    // Each field on its own, so that a bad zone and a bad expression are both named.
    const zone = scheduleProblem({ cron: "0 0 * * *", timeZone: item.timeZone });
    if (zone) ctx.addIssue({ code: "custom", path: ["timeZone"], message: zone });
    const cron = scheduleProblem({ cron: item.cron, timeZone: "UTC" });
    if (cron) ctx.addIssue({ code: "custom", path: ["cron"], message: cron });
  });

export const scheduleDeleteItem = z.strictObject({ name: scheduleName });

export type ScheduleUpsert = z.output<typeof scheduleUpsertItem>;

/** What a schedule holds, as requests compare it (null: there is no such schedule). */
export interface ScheduleState {
  cron: string;
  timeZone: string;
  container: string;
  auth: "sas" | "managed-identity";
  retention: { keepLast: number | null; maxAgeDays: number | null };
  paused: boolean;
}

/** The state an upsert leaves behind. */
export function stateOfUpsert(item: ScheduleUpsert): ScheduleState {
  return {
    cron: item.cron,
    timeZone: item.timeZone,
    container: item.container,
    auth: item.auth,
    retention: {
      keepLast: item.retention.keepLast ?? null,
      maxAgeDays: item.retention.maxAgeDays ?? null,
    },
    paused: item.paused,
  };
}

/** "keep the last 14 and everything younger than 30 days", or "keep every backup". */
export function retentionInWords(retention: ScheduleState["retention"]): string {
  const { keepLast, maxAgeDays } = retention;
  const last = keepLast === null ? null : keepLast === 1 ? "the last one" : `the last ${keepLast}`;
  const young =
    maxAgeDays === null
      ? null
      : `everything younger than ${maxAgeDays} day${maxAgeDays === 1 ? "" : "s"}`;
  if (!last && !young) return "keep every backup";
  return `keep ${[last, young].filter(Boolean).join(" and ")}`;
}

const authInWords = (auth: ScheduleState["auth"]) =>
  auth === "sas" ? "with a SAS minted for each run" : "with the HSM's managed identity";

/** "Back up at 02:00, every day (Europe/Berlin) into <container> …, keep the last 14 …". */
export function scheduleInWords(state: ScheduleState): string {
  const when = describeSchedule(state);
  const words = `back up ${when.charAt(0).toLowerCase()}${when.slice(1)} into ${state.container} ${authInWords(state.auth)}, ${retentionInWords(state.retention)}`;
  return state.paused ? `${words}; paused: no backups run until it is resumed` : words;
}

/** One schedule request's item in words, against the schedule as it stood at filing. */
export function scheduleChangeInWords(
  kind: "backup-schedule.upsert" | "backup-schedule.delete",
  change: Record<string, unknown>,
  before: ScheduleState | null | undefined,
): string[] {
  const name = String(change.name);
  if (kind === "backup-schedule.delete")
    return [
      before
        ? `delete schedule ${name}, which would ${scheduleInWords(before)}; its backups stay in the container`
        : `delete schedule ${name}`,
    ];
  const parsed = scheduleUpsertItem.safeParse(change);
  if (!parsed.success) return [`set schedule ${name} (unreadable)`];
  const after = stateOfUpsert(parsed.data);
  if (!before) return [`new schedule ${name}: ${scheduleInWords(after)}`];
  const was = scheduleInWords(before);
  const now = scheduleInWords(after);
  return [
    was === now
      ? `schedule ${name}: ${now} (unchanged)`
      : `change schedule ${name}: ${was} → ${now}`,
  ];
}
