import type { Metadata } from "next";

import { requirePermission } from "@/lib/auth/current-session";
import { EVENT_KINDS } from "@/lib/calendar/events";
import { healthSections } from "@/lib/calendar/health";
import { calendarPageSchema, daysIn, healthRows } from "@/lib/calendar/load";
import { CALENDAR_VIEWS, calendarRange, isoDay, type CalendarView } from "@/lib/calendar/range";
import { calendarPage } from "@/lib/calendar/service";
import { getEnv } from "@/lib/env";
import { count, plural } from "@/lib/format/count";
import { formatRelative, formatUtc } from "@/lib/format/date";
import { inventoryContext } from "@/lib/inventory/service";
import { cn } from "@/lib/utils";
import { readSearchParams, toSearchQuery } from "@/lib/validation/search-params";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Agenda } from "@/components/calendar/agenda";
import { DeliveriesCard } from "@/components/calendar/deliveries-card";
import { KIND_LABELS, KIND_STYLES } from "@/components/calendar/event-chip";
import { FeedManager } from "@/components/calendar/feed-manager";
import { HealthPanel } from "@/components/calendar/health-panel";
import { CalendarGrid, LISTED_PER_DAY, SHOWN_PER_DAY } from "@/components/calendar/month-grid";
import { FilterForm, FilterSelect } from "@/components/data-table/filter-field";
import { FreshnessBanners } from "@/components/hsm/freshness-banners";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Rotation calendar" };

const VIEW_LABELS: Record<CalendarView, string> = {
  month: "Month",
  week: "Week",
  agenda: "Agenda",
};

export default async function CalendarPage({ searchParams }: PageProps<"/calendar">) {
  const session = await requirePermission("inventory.read");
  const filters = readSearchParams(calendarPageSchema, await searchParams);
  const context = await inventoryContext(session);
  const env = getEnv();
  const view = filters.view ?? "month";
  const today = isoDay(context.now);
  const range = calendarRange(view, filters.date ?? today);
  const { keys, owners, ownerNames, feeds, deliveries } = await calendarPage(
    context,
    { oid: session.userOid },
    filters,
  );
  // Each day lists its first few events and counts the rest: only those few are worded.
  const { days, counts } = daysIn(
    keys,
    range,
    env.reminders.days,
    filters.kind,
    view === "month" ? SHOWN_PER_DAY : LISTED_PER_DAY,
  );
  const health = healthSections(healthRows(keys, context.now), filters.health);
  const findings = health.reduce((sum, section) => sum + section.total, 0);
  const href = (changes: Record<string, string | undefined>) =>
    `/calendar${toSearchQuery({ ...filters, view, ...changes })}`;
  const todayMs = Date.parse(`${today}T00:00:00Z`);

  return (
    <>
      <PageHeader
        title="Rotation calendar"
        description={`Every rotation and expiry the policies will bring, and the reminders ${env.reminders.days.join(", ")} days before each; dates in UTC, your local time on hover.`}
      />
      <FreshnessBanners freshness={context.freshness} />
      {/* The panels sit beside the calendar only on wide screens: below that the grid needs the
          width to show whole key names. */}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 2xl:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0">
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
            <nav aria-label="Calendar views" className="flex gap-1">
              {CALENDAR_VIEWS.map((v) => (
                <a
                  key={v}
                  href={href({ view: v })}
                  aria-current={v === view ? "page" : undefined}
                  className={buttonVariants({
                    variant: v === view ? "default" : "outline",
                    size: "sm",
                  })}
                >
                  {VIEW_LABELS[v]}
                </a>
              ))}
            </nav>
            <h2 className="text-lg font-semibold" aria-live="polite">
              {range.label}
            </h2>
            <nav aria-label="Move in time" className="flex gap-1">
              <a
                href={href({ date: range.previous })}
                className={buttonVariants({ variant: "outline", size: "sm" })}
                rel="prev"
              >
                Previous
              </a>
              <a
                href={href({ date: today })}
                className={buttonVariants({ variant: "outline", size: "sm" })}
              >
                Today
              </a>
              <a
                href={href({ date: range.next })}
                className={buttonVariants({ variant: "outline", size: "sm" })}
                rel="next"
              >
                Next
              </a>
            </nav>
          </div>
          <FilterForm action="/calendar" label="Filter events" className="mb-3 p-3">
            <input type="hidden" name="view" value={view} />
            {filters.date ? <input type="hidden" name="date" value={filters.date} /> : null}
            <FilterSelect
              name="hsm"
              label="HSM"
              value={filters.hsm}
              options={context.hsms.map((hsm) => [hsm.name, hsm.name] as const)}
            />
            <FilterSelect
              name="owner"
              label="Owner group"
              value={filters.owner}
              options={owners.map((owner) => [owner, ownerNames.get(owner) ?? owner] as const)}
            />
            <FilterSelect
              name="kind"
              label="Kind"
              value={filters.kind}
              options={EVENT_KINDS.map((kind) => [kind, plural(KIND_LABELS[kind])] as const)}
            />
            <Button type="submit">Apply filters</Button>
          </FilterForm>
          <ul aria-label="Legend" className="mb-3 flex flex-wrap gap-2 text-xs">
            {EVENT_KINDS.map((kind) => (
              <li key={kind} className={cn("rounded border px-1.5 py-0.5", KIND_STYLES[kind])}>
                {KIND_LABELS[kind]} ({counts[kind]})
              </li>
            ))}
          </ul>
          {view === "agenda" ? (
            <Agenda days={days} />
          ) : (
            <div
              className="relative overflow-x-auto"
              role="region"
              aria-label="Calendar"
              tabIndex={0}
            >
              <CalendarGrid
                range={range}
                days={days}
                today={todayMs}
                compact={view === "month"}
                weekHref={(day) => href({ view: "week", date: day })}
              />
            </div>
          )}
        </div>
        <aside className="grid min-w-0 content-start items-start gap-6 lg:grid-cols-2 2xl:grid-cols-1">
          <Card role="region" aria-labelledby="health-title">
            <CardHeader>
              <CardTitle id="health-title">Rotation health</CardTitle>
              <CardDescription>
                {count(findings, "finding")} over {count(keys.length, "key")}
                {filters.hsm || filters.owner ? " (filtered)" : ""}.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <HealthPanel sections={health} hrefFor={(kind) => href({ health: kind })} />
            </CardContent>
          </Card>
          <Card role="region" aria-labelledby="feed-title">
            <CardHeader>
              <CardTitle id="feed-title">Subscribe</CardTitle>
              <CardDescription>
                A personal iCalendar feed for Outlook or any calendar: the rotations and expiries
                you can see, with alarms {env.reminders.days.join(", ")} days before. Anyone with
                the URL can read it; revoke it when in doubt.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <FeedManager
                feeds={feeds.map((feed) => ({
                  id: feed.id,
                  name: feed.name,
                  created: formatUtc(feed.createdAt),
                  lastRead: feed.lastUsedAt
                    ? `last read ${formatRelative(feed.lastUsedAt, context.now)}`
                    : "never read",
                }))}
              />
            </CardContent>
          </Card>
          {env.reminders.webhookUrl && context.visibility.all ? (
            <DeliveriesCard deliveries={deliveries} />
          ) : null}
        </aside>
      </div>
    </>
  );
}
