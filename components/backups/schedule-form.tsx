"use client";

import { useMemo, useState } from "react";

import { describeSchedule, nextRuns, scheduleProblem } from "@/lib/backup/schedule";
import {
  buildScheduleItem,
  scheduleFieldOf,
  type ScheduleDraft,
  type ScheduleField,
} from "@/lib/backup/schedule-draft";
import { formatUtc } from "@/lib/format/date";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";
import { RequestForm } from "@/components/requests/request-form";

const AUTH: [ScheduleDraft["auth"], string][] = [
  ["sas", "A SAS the portal mints for each run"],
  ["managed-identity", "The HSM's managed identity"],
];

const AUTH_WORDS: Record<ScheduleDraft["auth"], string> = {
  sas: "The portal mints a short-lived SAS for the container for each run; the HSM writes with it.",
  "managed-identity":
    "The HSM writes with its own managed identity, which needs Storage Blob Data Contributor on the container.",
};

/** Every IANA zone the browser knows; the server checks the one chosen again. */
function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC", "Europe/Berlin", "Europe/London", "America/New_York"];
  }
}

/** The cron in words and its next three times, as typed; or why it cannot run. */
function CronPreview({
  id,
  cron,
  timeZone,
  now,
}: {
  id: string;
  cron: string;
  timeZone: string;
  now: number;
}) {
  const preview = useMemo(() => {
    const schedule = { cron: cron.trim(), timeZone: timeZone.trim() };
    if (scheduleProblem(schedule)) return null;
    return { words: describeSchedule(schedule), next: nextRuns(schedule, now, 3) };
  }, [cron, timeZone, now]);
  return (
    <FieldDescription id={id} aria-live="polite">
      {preview ? (
        <>
          {preview.words}. Next: {preview.next.map(formatUtc).join("; ")}.
        </>
      ) : (
        "Five fields: minute, hour, day of month, month, day of week (0 2 * * * is 02:00 every day)."
      )}
    </FieldDescription>
  );
}

/** A text field of the form with its hint and its error beside it. */
function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  ...input
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
} & Omit<React.ComponentProps<"input">, "id" | "value" | "onChange">) {
  return (
    <Field>
      <FieldLabel htmlFor={id}>{label}</FieldLabel>
      <Input
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint ${id}-error`}
        onChange={(event) => onChange(event.target.value)}
        {...input}
      />
      {typeof hint === "string" ? (
        <FieldDescription id={`${id}-hint`}>{hint}</FieldDescription>
      ) : (
        hint
      )}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </Field>
  );
}

/**
 * A new schedule, or a change of one (its name fixed): files `backup-schedule.upsert`, with
 * the cron said in words and its next times as it is typed.
 */
export function ScheduleForm({
  hsm,
  initial,
  editing,
}: {
  hsm: string;
  initial: ScheduleDraft;
  editing: boolean;
}) {
  const [draft, setDraft] = useState(initial);
  const set = (change: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...change }));
  const id = `schedule-${hsm}`;
  const [zones] = useState(timeZones);
  // The preview's next times count from when the form opened.
  const [now] = useState(() => Date.now());

  return (
    <RequestForm<ScheduleField>
      id={id}
      kind="backup-schedule.upsert"
      hsm={hsm}
      build={() => buildScheduleItem(draft)}
      itemFieldOf={scheduleFieldOf}
      submitLabel="File the request"
    >
      {(errors) => (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id={`${id}-name`}
            label="Name"
            hint="A slug such as nightly; runs and retention name it."
            error={errors.name}
            value={draft.name}
            onChange={(name) => set({ name })}
            readOnly={editing}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            id={`${id}-cron`}
            label="When (cron)"
            hint={
              <CronPreview
                id={`${id}-cron-hint`}
                cron={draft.cron}
                timeZone={draft.timeZone}
                now={now}
              />
            }
            error={errors.cron}
            value={draft.cron}
            onChange={(cron) => set({ cron })}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
          />
          <TextField
            id={`${id}-zone`}
            label="Time zone"
            hint="The cron is read in this IANA zone, daylight saving included."
            error={errors.timeZone}
            value={draft.timeZone}
            onChange={(timeZone) => set({ timeZone })}
            list={`${id}-zones`}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id={`${id}-zones`}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <Field>
            <FieldLabel htmlFor={`${id}-auth`}>The HSM writes with</FieldLabel>
            <NativeSelect
              id={`${id}-auth`}
              value={draft.auth}
              aria-describedby={`${id}-auth-hint ${id}-auth-error`}
              aria-invalid={errors.auth ? true : undefined}
              onChange={(event) => set({ auth: event.target.value as ScheduleDraft["auth"] })}
            >
              <NativeSelectOptions options={AUTH} />
            </NativeSelect>
            <FieldDescription id={`${id}-auth-hint`}>{AUTH_WORDS[draft.auth]}</FieldDescription>
            <FieldError id={`${id}-auth-error`}>{errors.auth}</FieldError>
          </Field>
          <div className="sm:col-span-2">
            <TextField
              id={`${id}-container`}
              label="Container URL"
              hint="The blob container's URL alone, without a SAS."
              error={errors.container}
              value={draft.container}
              onChange={(container) => set({ container })}
              autoComplete="off"
              spellCheck={false}
              type="url"
            />
          </div>
          <TextField
            id={`${id}-keep-last`}
            label="Keep the last (backups)"
            hint="Empty: no count limit."
            error={errors.keepLast}
            value={draft.keepLast}
            onChange={(keepLast) => set({ keepLast })}
            inputMode="numeric"
          />
          <TextField
            id={`${id}-max-age`}
            label="Keep younger than (days)"
            hint="Empty: no age limit. Both empty: keep every backup."
            error={errors.maxAgeDays}
            value={draft.maxAgeDays}
            onChange={(maxAgeDays) => set({ maxAgeDays })}
            inputMode="numeric"
          />
          <Field className="sm:col-span-2">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.paused}
                onChange={(event) => set({ paused: event.target.checked })}
                className="size-4"
              />
              Paused: no backups run until it is resumed
            </label>
          </Field>
        </div>
      )}
    </RequestForm>
  );
}
