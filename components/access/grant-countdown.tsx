"use client";

import { useEffect, useState } from "react";

import { formatUtc } from "@/lib/format/date";
import { remainingInWords } from "@/lib/grants/duration";
import { Badge } from "@/components/ui/badge";

/**
 * A time-limited grant's countdown: "ends in 2 h 14 min", ticking once a minute (every second in
 * its last minute), with the end as a UTC time for screen readers and the tooltip.
 */
export function GrantCountdown({ endsAt, now }: { endsAt: number; now: number }) {
  const [clock, setClock] = useState(now);
  const left = endsAt - clock;
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), left > 60_000 ? 60_000 : 1_000);
    return () => clearInterval(timer);
  }, [left]);
  const end = formatUtc(endsAt);
  return (
    <Badge variant="warning" title={`Removed automatically at ${end}`}>
      <time dateTime={new Date(endsAt).toISOString()}>
        {left > 0 ? `ends in ${remainingInWords(left)}` : "ending now"}
      </time>
      <span className="sr-only">, removed automatically at {end}</span>
    </Badge>
  );
}
