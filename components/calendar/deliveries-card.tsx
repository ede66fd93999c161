import type { ReminderDeliveryTable } from "@/lib/db/schema/calendar/table";
import { count } from "@/lib/format/count";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** The latest reminders posted to the webhook, for the key team. */
export function DeliveriesCard({ deliveries }: { deliveries: readonly ReminderDeliveryTable[] }) {
  return (
    <Card role="region" aria-labelledby="deliveries-title">
      <CardHeader>
        <CardTitle id="deliveries-title">Reminders sent</CardTitle>
        <CardDescription>The latest reminders posted to the webhook.</CardDescription>
      </CardHeader>
      <CardContent>
        {deliveries.length === 0 ? (
          <p className="text-sm text-muted-foreground">None yet.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-xs [overflow-wrap:anywhere]">
            {deliveries.map((d) => (
              <li key={d.id}>
                {d.status === "sent" ? "Sent" : `Failed (${d.last_error ?? "unknown"})`}:{" "}
                {d.key_name} {d.event_kind} in {count(d.days_before, "day")} ·{" "}
                {count(d.attempts, "attempt")}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
