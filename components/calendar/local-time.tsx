"use client";

import { useState } from "react";

const localText = (at: number) =>
  `${new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })} your time`;

/**
 * A UTC time whose tooltip gives the viewer's local time. The server knows no time zone, so the
 * tooltip starts in UTC and the browser fills in its own local time as the pointer arrives.
 */
export function LocalTime({ at, children }: { at: number; children: React.ReactNode }) {
  const iso = new Date(at).toISOString();
  const [title, setTitle] = useState(`${iso.slice(0, 16).replace("T", " ")} UTC`);
  return (
    <time dateTime={iso} title={title} onPointerEnter={() => setTitle(localText(at))}>
      {children}
    </time>
  );
}
