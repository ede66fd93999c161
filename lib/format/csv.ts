/*
 * CSV for spreadsheets (RFC 4180: CRLF, quotes doubled), safe to open: a cell that a spreadsheet
 * would run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an
 * apostrophe, since key names and tags are free text that anyone with key access can set. Pure.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record and its line end, as `toCsv` writes it: a file can be sent a batch of lines at a time. */
export function csvLine(row: readonly (string | number | boolean | null | undefined)[]): string {
  return `${row.map(csvCell).join(",")}\r\n`;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * A CSV file from records that come a batch at a time: the header, then each batch's lines as
 * one list, never one string; the same bytes as `toCsv` over all the records.
 */
export async function* csvBatches<T>(
  header: readonly string[],
  batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
  row: (item: T) => readonly (string | number | boolean | null | undefined)[],
): AsyncGenerator<string[]> {
  yield [csvLine(header)];
  for await (const batch of batches) yield batch.map((item) => csvLine(row(item)));
}
