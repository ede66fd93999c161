import type { AccessReviewItemView, AccessReviewSummary } from "@/lib/access-reviews/store";
import type { BackupRun } from "@/lib/backup/runs";
import type { OutOfBandChangeTable } from "@/lib/db/schema/out-of-band/table";
import { csvBatches, toCsv } from "@/lib/format/csv";
import { describeChange } from "@/lib/out-of-band/describe";
import type { ChangeWhat, SubjectKind } from "@/lib/out-of-band/rules";

/*
 * The pack's records of what happened in the period: every change request with who asked and
 * who decided, every backup run, and, per HSM and UTC day, how old the last good backup was at
 * the day's end. Pure.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export interface EvidenceDecision {
  approverId: string;
  approverName: string;
  decision: string;
  comment: string | null;
  at: number;
}

export interface EvidenceChange {
  id: string;
  kind: string;
  hsm: string | null;
  summary: string;
  requesterId: string;
  requesterName: string;
  justification: string;
  state: string;
  approvals: number;
  approvalsRequired: number;
  filedAt: number;
  decidedAt: number | null;
  finishedAt: number | null;
  outcome: string | null;
  decisions: EvidenceDecision[];
}

export const CHANGES_HEADER = [
  "request",
  "filed",
  "kind",
  "hsm",
  "summary",
  "requester",
  "requester_id",
  "justification",
  "approvals",
  "decisions",
  "decided",
  "finished",
  "state",
  "outcome",
] as const;

/** "Ann Approver approved 2026-03-01T10:00:00.000Z (ok)"; decisions in the order they came. */
function decisionsText(decisions: readonly EvidenceDecision[]): string {
  return [...decisions]
    .sort((a, b) => a.at - b.at)
    .map(
      (d) =>
        `${d.approverName} (${d.approverId}) ${d.decision} ${iso(d.at)}` +
        (d.comment ? `: ${d.comment}` : ""),
    )
    .join("; ");
}

export function changeRow(change: EvidenceChange): (string | number | null)[] {
  return [
    change.id,
    iso(change.filedAt),
    change.kind,
    change.hsm ?? "portal",
    change.summary,
    change.requesterName,
    change.requesterId,
    change.justification,
    `${change.approvals} of ${change.approvalsRequired}`,
    decisionsText(change.decisions),
    iso(change.decidedAt),
    iso(change.finishedAt),
    change.state,
    change.outcome,
  ];
}

/** The change requests, from the requests a batch at a time. */
export function changesCsv(
  changes: AsyncIterable<readonly EvidenceChange[]>,
): AsyncGenerator<string[]> {
  return csvBatches(CHANGES_HEADER, changes, changeRow);
}

export const BACKUP_RUNS_HEADER = [
  "run",
  "hsm",
  "trigger",
  "schedule",
  "requested_by",
  "scheduled_for",
  "started",
  "finished",
  "state",
  "error",
] as const;

export function backupRunsCsv(runs: readonly BackupRun[]): string {
  return toCsv(
    BACKUP_RUNS_HEADER,
    runs.map((run) => [
      run.id,
      run.hsm,
      run.trigger,
      run.scheduleName,
      run.requestedBy?.name ?? null,
      iso(run.scheduledFor),
      iso(run.startedAt),
      iso(run.finishedAt),
      run.state,
      run.error,
    ]),
  );
}

export const BACKUP_DAYS_HEADER = [
  "day",
  "hsm",
  "good",
  "failed",
  "missed",
  "last_good_backup",
  "age_hours_at_day_end",
] as const;

type DayRun = Pick<
  BackupRun,
  "hsm" | "state" | "startedAt" | "finishedAt" | "scheduledFor" | "createdAt"
>;

/** When a run counts for its day: when it started, or was due (a missed run never started). */
const runDay = (run: DayRun) =>
  Math.floor((run.startedAt ?? run.scheduledFor ?? run.createdAt) / DAY_MS) * DAY_MS;

/**
 * Per HSM and UTC day of the period (days that have begun by `now`): the day's good, failed and
 * missed runs, and the age of the newest good backup finished by the day's end (or by now, for
 * today). `runs` must include the good runs before the period, for its first days.
 */
export function backupDaysCsv(
  runs: readonly DayRun[],
  hsms: readonly string[],
  period: { from: number; to: number },
  now: number,
): string {
  const rows: (string | number | null)[][] = [];
  const first = Math.floor(period.from / DAY_MS) * DAY_MS;
  const end = Math.min(period.to, now);
  for (const hsm of hsms) {
    const own = runs.filter((run) => run.hsm === hsm);
    const goodEnds = own
      .filter((run) => run.state === "succeeded" && run.finishedAt !== null)
      .map((run) => run.finishedAt!)
      .sort((a, b) => a - b);
    for (let day = first; day < end; day += DAY_MS) {
      const dayEnd = Math.min(day + DAY_MS, now);
      const today = own.filter((run) => runDay(run) === day);
      const count = (...states: string[]) => today.filter((r) => states.includes(r.state)).length;
      const lastGood = goodEnds.findLast((at) => at <= dayEnd) ?? null;
      rows.push([
        new Date(day).toISOString().slice(0, 10),
        hsm,
        count("succeeded"),
        count("failed", "interrupted"),
        count("missed"),
        iso(lastGood),
        lastGood === null ? null : Math.round(((dayEnd - lastGood) / HOUR_MS) * 10) / 10,
      ]);
    }
  }
  return toCsv(BACKUP_DAYS_HEADER, rows);
}

export const OUT_OF_BAND_HEADER = [
  "change",
  "hsm",
  "first_seen",
  "subject_kind",
  "subject",
  "key",
  "what",
  "summary",
  "before",
  "after",
  "state",
  "explained_by",
  "explained_at",
  "reason",
] as const;

/** Changes made in an HSM that the portal did not make, as each sync found them. */
export function outOfBandCsv(rows: readonly OutOfBandChangeTable[]): string {
  return toCsv(
    OUT_OF_BAND_HEADER,
    rows.map((row) => [
      row.id,
      row.hsm,
      iso(Number(row.first_seen_at)),
      row.subject_kind,
      row.subject_name,
      row.key_lower,
      row.what,
      describeChange({
        subjectKind: row.subject_kind as SubjectKind,
        subjectName: row.subject_name,
        what: row.what as ChangeWhat,
      }),
      row.before,
      row.after,
      row.state,
      row.explained_by_name ?? row.explained_by,
      iso(row.explained_at === null ? null : Number(row.explained_at)),
      row.reason,
    ]),
  );
}

export const ACCESS_REVIEWS_HEADER = [
  "review",
  "hsm",
  "review_state",
  "started",
  "started_by",
  "ended",
  "ended_by",
  "assignment",
  "scope",
  "role",
  "principal_id",
  "principal",
  "principal_type",
  "decision",
  "decided_by",
  "decided_at",
  "comment",
  "removal_request",
  "removal_request_state",
  "already_removed",
] as const;

/** Access reviews, one row per assignment under review: who confirmed or flagged it, and why. */
export function accessReviewsCsv(
  reviews: readonly (AccessReviewSummary & { items: readonly AccessReviewItemView[] })[],
): string {
  return toCsv(
    ACCESS_REVIEWS_HEADER,
    reviews.flatMap((review) =>
      review.items.map((item) => [
        review.id,
        review.hsm,
        review.state,
        iso(review.startedAt),
        review.startedBy.name,
        iso(review.endedAt),
        review.endedBy?.name ?? null,
        item.assignment,
        item.scope,
        item.roleName,
        item.principal.id,
        item.principal.name,
        item.principal.type,
        item.decision,
        item.decidedBy?.name ?? null,
        iso(item.decidedAt),
        item.comment,
        item.request?.id ?? null,
        item.request?.state ?? null,
        item.alreadyRemoved ? "yes" : "no",
      ]),
    ),
  );
}
