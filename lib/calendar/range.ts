/*
 * The days a calendar view covers, in UTC (key events are compared across regions): a month as
 * whole Monday-first weeks, a week from Monday, or an agenda of 60 days from the chosen day.
 * Pure; `date` is a calendar date "YYYY-MM-DD".
 */

export const CALENDAR_VIEWS = ["month", "week", "agenda"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const DAY_MS = 86_400_000;
const AGENDA_DAYS = 60;
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export interface CalendarRange {
  from: number;
  to: number;
  /** UTC midnights of the days shown, in order. */
  days: number[];
  /** The month (month view) the grid is about; days outside it are shown dimmed. */
  month: number | null;
  label: string;
  previous: string;
  next: string;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcDay = (date: string) => Date.parse(`${date}T00:00:00Z`);
const mondayOf = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
const formatDay = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()}`;
};
function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

export function calendarRange(view: CalendarView, date: string): CalendarRange {
  const day = utcDay(date);
  if (view === "month") {
    const d = new Date(day);
    const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const nextMonth = addMonths(first, 1);
    const from = mondayOf(first);
    const to = mondayOf(nextMonth - DAY_MS) + 7 * DAY_MS;
    return {
      from,
      to,
      days: Array.from({ length: (to - from) / DAY_MS }, (_, i) => from + i * DAY_MS),
      month: d.getUTCMonth(),
      label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
      previous: isoDay(addMonths(first, -1)),
      next: isoDay(nextMonth),
    };
  }
  if (view === "week") {
    const from = mondayOf(day);
    return {
      from,
      to: from + 7 * DAY_MS,
      days: Array.from({ length: 7 }, (_, i) => from + i * DAY_MS),
      month: null,
      label: `Week of ${formatDay(from)}`,
      previous: isoDay(from - 7 * DAY_MS),
      next: isoDay(from + 7 * DAY_MS),
    };
  }
  return {
    from: day,
    to: day + AGENDA_DAYS * DAY_MS,
    days: Array.from({ length: AGENDA_DAYS }, (_, i) => day + i * DAY_MS),
    month: null,
    label: `${formatDay(day)} – ${formatDay(day + (AGENDA_DAYS - 1) * DAY_MS)}`,
    previous: isoDay(day - AGENDA_DAYS * DAY_MS),
    next: isoDay(day + AGENDA_DAYS * DAY_MS),
  };
}
