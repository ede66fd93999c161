"use client";

import { PlusIcon, XIcon } from "lucide-react";

import { MAX_TAGS, type TagRow } from "@/lib/requests/key-drafts";
import { Button } from "@/components/ui/button";
import { FieldError, FieldLegend, FieldSet } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** A key's tags as name and value rows; the rows' own errors sit under each row. */
export function TagRowsField({
  id,
  rows,
  rowErrors,
  error,
  onChange,
}: {
  id: string;
  rows: TagRow[];
  /** Per row, what is wrong with it. */
  rowErrors: ReadonlyMap<number, string>;
  /** About the tags as a whole (too many; a server message). */
  error: string | undefined;
  onChange: (rows: TagRow[]) => void;
}) {
  const update = (index: number, change: Partial<TagRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <FieldSet>
      <FieldLegend>Other tags</FieldLegend>
      {rows.length === 0 ? <p className="text-xs text-muted-foreground">No other tags.</p> : null}
      <ul className="flex flex-col gap-2">
        {rows.map((row, index) => {
          const rowError = rowErrors.get(index);
          const errorId = `${id}-${index}-error`;
          return (
            <li key={index} className="flex flex-col gap-1">
              <div className="flex items-center gap-2">
                <Input
                  aria-label={`Tag ${index + 1} name`}
                  value={row.name}
                  placeholder="name"
                  maxLength={256}
                  aria-invalid={rowError ? true : undefined}
                  aria-describedby={errorId}
                  onChange={(event) => update(index, { name: event.target.value })}
                />
                <Input
                  aria-label={`Tag ${index + 1} value`}
                  value={row.value}
                  placeholder="value"
                  maxLength={256}
                  onChange={(event) => update(index, { value: event.target.value })}
                />
                <Button
                  type="button"
                  variant="ghost"
                  size="icon"
                  aria-label={`Remove tag ${index + 1}${row.name ? ` (${row.name})` : ""}`}
                  onClick={() => onChange(rows.filter((_, i) => i !== index))}
                >
                  <XIcon aria-hidden />
                </Button>
              </div>
              <FieldError id={errorId}>{rowError}</FieldError>
            </li>
          );
        })}
      </ul>
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="self-start"
        disabled={rows.length >= MAX_TAGS}
        onClick={() => onChange([...rows, { name: "", value: "" }])}
      >
        <PlusIcon aria-hidden />
        Add a tag
      </Button>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </FieldSet>
  );
}
