import { scheduleProblem } from "@/lib/backup/schedule";
import { scheduleUpsertItem, type ScheduleState } from "@/lib/backup/schedule-items";

/*
 * The schedule form's fields as typed (strings and a checkbox), turned into a
 * `backup-schedule.upsert` item with the API's own schema, or into messages per field. Pure.
 */

export type ScheduleField =
  "name" | "cron" | "timeZone" | "container" | "auth" | "keepLast" | "maxAgeDays" | "paused";

export interface ScheduleDraft {
  name: string;
  cron: string;
  timeZone: string;
  container: string;
  auth: "sas" | "managed-identity";
  keepLast: string;
  maxAgeDays: string;
  paused: boolean;
}

/** A schedule as it stands, to edit; or a new one's defaults (a nightly backup). */
export function draftOf(
  schedule: (ScheduleState & { name: string }) | null,
  defaults: { container: string; timeZone: string },
): ScheduleDraft {
  if (!schedule)
    return {
      name: "",
      cron: "0 2 * * *",
      timeZone: defaults.timeZone,
      container: defaults.container,
      auth: "sas",
      keepLast: "14",
      maxAgeDays: "",
      paused: false,
    };
  return {
    name: schedule.name,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    container: schedule.container,
    auth: schedule.auth,
    keepLast: schedule.retention.keepLast?.toString() ?? "",
    maxAgeDays: schedule.retention.maxAgeDays?.toString() ?? "",
    paused: schedule.paused,
  };
}

/** The form field a path inside the item belongs to ("retention/keepLast" → keepLast). */
export function scheduleFieldOf(path: string): ScheduleField | null {
  const [first, second] = path.split("/");
  if (first === "retention") return second === "maxAgeDays" ? "maxAgeDays" : "keepLast";
  const fields: readonly string[] = ["name", "cron", "timeZone", "container", "auth", "paused"];
  return first !== undefined && fields.includes(first) ? (first as ScheduleField) : null;
}

const count = (text: string) => (text.trim() === "" ? undefined : Number(text.trim()));

export function buildScheduleItem(
  draft: ScheduleDraft,
):
  | { item: unknown; errors?: null }
  | { item?: null; errors: Partial<Record<ScheduleField, string>> } {
  const item = {
    name: draft.name.trim(),
    cron: draft.cron.trim(),
    timeZone: draft.timeZone.trim(),
    container: draft.container.trim(),
    auth: draft.auth,
    retention: { keepLast: count(draft.keepLast), maxAgeDays: count(draft.maxAgeDays) },
    paused: draft.paused,
  };
  const parsed = scheduleUpsertItem.safeParse(item);
  if (parsed.success) return { item: parsed.data };
  const errors: Partial<Record<ScheduleField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = scheduleFieldOf(issue.path.join("/"));
    if (field && !errors[field]) errors[field] = issue.message;
  }
  // The schema checks the zone and the expression only once the rest parses: name them anyway.
  errors.timeZone ??= scheduleProblem({ cron: "0 0 * * *", timeZone: item.timeZone }) ?? undefined;
  errors.cron ??= scheduleProblem({ cron: item.cron, timeZone: "UTC" }) ?? undefined;
  for (const field of ["timeZone", "cron"] as const) if (!errors[field]) delete errors[field];
  return { errors };
}
