"use client";

import { PauseIcon, PencilIcon, PlayIcon, PlusIcon, Trash2Icon } from "lucide-react";

import { draftOf } from "@/lib/backup/schedule-draft";
import type { ScheduleState } from "@/lib/backup/schedule-items";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

import { ScheduleForm } from "./schedule-form";

export type ScheduleOf = ScheduleState & { name: string };

const NEEDS = "It takes effect once someone other than you approves it.";

/** "New schedule" for an HSM: an upsert of a schedule not there yet. */
export function NewSchedule({
  hsm,
  defaults,
}: {
  hsm: string;
  defaults: { container: string; timeZone: string };
}) {
  return (
    <ActionDialog
      label="New schedule"
      buttonName={`New schedule for ${hsm}`}
      icon={<PlusIcon aria-hidden />}
      title={`New backup schedule for ${hsm}`}
      description={`Files a change request for a schedule. ${NEEDS}`}
      wide
    >
      <ScheduleForm hsm={hsm} initial={draftOf(null, defaults)} editing={false} />
    </ActionDialog>
  );
}

/** Edit, pause or resume, and delete one schedule; each files a change request. */
export function ScheduleActions({ hsm, schedule }: { hsm: string; schedule: ScheduleOf }) {
  const { name } = schedule;
  const toggled = {
    name,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    container: schedule.container,
    auth: schedule.auth,
    retention: {
      keepLast: schedule.retention.keepLast ?? undefined,
      maxAgeDays: schedule.retention.maxAgeDays ?? undefined,
    },
    paused: !schedule.paused,
  };
  return (
    <div className="flex flex-wrap gap-2">
      <ActionDialog
        label="Edit"
        buttonName={`Edit schedule ${name} of ${hsm}`}
        icon={<PencilIcon aria-hidden />}
        title={`Change schedule ${name} of ${hsm}`}
        description={`Files a change request with the schedule as set here. ${NEEDS}`}
        wide
      >
        <ScheduleForm hsm={hsm} initial={draftOf(schedule, schedule)} editing />
      </ActionDialog>
      <ActionDialog
        label={schedule.paused ? "Resume" : "Pause"}
        buttonName={`${schedule.paused ? "Resume" : "Pause"} schedule ${name} of ${hsm}`}
        icon={schedule.paused ? <PlayIcon aria-hidden /> : <PauseIcon aria-hidden />}
        title={`${schedule.paused ? "Resume" : "Pause"} schedule ${name} of ${hsm}`}
        description={`${
          schedule.paused
            ? "Backups run again at the schedule's times once this is approved."
            : "No backups run on this schedule until it is resumed; its backups stay in the container."
        } ${NEEDS}`}
      >
        <RequestForm<never>
          id={`schedule-${hsm}-${name}-pause`}
          kind="backup-schedule.upsert"
          hsm={hsm}
          build={() => ({ item: toggled })}
          itemFieldOf={() => null}
          submitLabel="File the request"
        />
      </ActionDialog>
      <ActionDialog
        label="Delete"
        buttonName={`Delete schedule ${name} of ${hsm}`}
        icon={<Trash2Icon aria-hidden />}
        title={`Delete schedule ${name} of ${hsm}`}
        description={`No more backups run on this schedule; the backups it made stay in the container. ${NEEDS}`}
        variant="destructive"
      >
        <RequestForm<never>
          id={`schedule-${hsm}-${name}-delete`}
          kind="backup-schedule.delete"
          hsm={hsm}
          build={() => ({ item: { name } })}
          itemFieldOf={() => null}
          confirmName={name}
          destructive
          submitLabel="File the request"
        />
      </ActionDialog>
    </div>
  );
}
