/*
 * What of an HSM's own error text may reach a person: one plain sentence. The service's message
 * is useful ("Key not found: payments-signing"), but an answer can carry more than that: a JSON
 * or HTML body from a proxy in between, several lines of diagnostics, control characters, or
 * kilobytes. Everything else stays in the server log with the error. Pure.
 */

const MAX_CHARACTERS = 200;

/** The HSM's message fit to show, or undefined when nothing of it is (the caller says why). */
export function hsmFaultText(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const firstLine = (raw.trim().split(/\r?\n/)[0] ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e]/g, "")
    .trim()
    .replace(/\.+$/, "");
  if (!firstLine || /^[[{<]/.test(firstLine)) return undefined;
  if (firstLine.length <= MAX_CHARACTERS) return firstLine;
  return `${firstLine.slice(0, MAX_CHARACTERS - 1).trimEnd()}…`;
}
