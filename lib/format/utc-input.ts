/*
 * The UTC instants a datetime-local input shows and reads. Free of schemas and of anything
 * server-side: the keys page's bulk forms load it in the browser, and importing it from the key
 * drafts (which validate with zod) put zod in the page's first-load JavaScript.
 */

const two = (n: number) => String(n).padStart(2, "0");

/** An instant as a datetime-local input shows it in UTC ("2027-01-31T09:30"); "" for none. */
export function toUtcInput(epochMs: number | null): string {
  if (epochMs === null) return "";
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** A datetime-local value read as UTC: an ISO instant, null when empty, undefined when unreadable. */
export function fromUtcInput(text: string): string | null | undefined {
  if (text.trim() === "") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const back = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 31 February over into March; a date that rolls over was not a date.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59)
    return undefined;
  return back.toISOString();
}
