"use client";

import { useState } from "react";
import { CalendarPlusIcon } from "lucide-react";

import { formatUtc } from "@/lib/format/date";
import { fromUtcInput, toUtcInput } from "@/lib/format/utc-input";
import { approvalsInWords } from "@/lib/templates/describe";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";
import { UtcDateField } from "@/components/requests/utc-date-field";

/** "Extend expiry": a later expiry for a key from a template, at most the template's longest. */
export function ExtendExpiry({
  hsm,
  keyName,
  expiresAt,
  latest,
  approvals,
}: {
  hsm: string;
  keyName: string;
  expiresAt: number | null;
  /** The latest expiry the template allows from now. */
  latest: number;
  approvals: number;
}) {
  const [value, setValue] = useState(toUtcInput(latest));
  return (
    <ActionDialog
      label="Extend expiry"
      icon={<CalendarPlusIcon aria-hidden />}
      title={`Extend the expiry of ${keyName}`}
      description={`${expiresAt ? `It expires ${formatUtc(expiresAt)}. ` : ""}Its template allows at most ${formatUtc(latest)}. Needs ${approvalsInWords(approvals)}.`}
    >
      <RequestForm<"expires">
        id="extend-expiry"
        kind="key.update"
        hsm={hsm}
        build={() => {
          const parsed = fromUtcInput(value);
          if (!parsed)
            return { errors: { expires: "Give the new expiry, a date and time in UTC." } };
          if (Date.parse(parsed) > latest)
            return { errors: { expires: `The template allows at most ${formatUtc(latest)}.` } };
          return { item: { key: keyName, expiresOn: parsed } };
        }}
        itemFieldOf={(path) => (path.startsWith("expiresOn") || path === "" ? "expires" : null)}
        submitLabel="File the request"
      >
        {(errors) => (
          <UtcDateField
            id="extend-expiry-date"
            label="New expiry (UTC)"
            value={value}
            empty="Give a date"
            error={errors.expires}
            onChange={setValue}
          />
        )}
      </RequestForm>
    </ActionDialog>
  );
}
