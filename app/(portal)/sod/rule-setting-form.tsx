"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";

import { problemText } from "@/lib/http/problem-text";
import { SEVERITIES, type RuleId, type RuleSetting } from "@/lib/sod/types";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

/** One rule's switch and grade, saved through the API (recorded), then the page re-renders. */
export function RuleSettingForm({
  ruleId,
  title,
  setting,
  maxAdministrators,
}: {
  ruleId: RuleId;
  title: string;
  setting: RuleSetting;
  maxAdministrators?: number;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  async function save(form: FormData) {
    setMessage(null);
    const body = {
      enabled: form.get("enabled") === "on",
      severity: form.get("severity"),
      ...(maxAdministrators !== undefined
        ? { maxAdministrators: Number(form.get("maxAdministrators")) }
        : {}),
    };
    const response = await fetch(`/api/sod/rules/${ruleId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) return setMessage({ error: true, text: await problemText(response) });
    setMessage({ error: false, text: "Saved and recorded." });
    startTransition(() => router.refresh());
  }

  return (
    <form
      aria-label={`Setting of ${title}`}
      action={(form) => void save(form)}
      className="flex flex-wrap items-center gap-3"
    >
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={setting.enabled} className="size-4" />
        On
      </label>
      <NativeSelect
        name="severity"
        aria-label={`Severity of ${title}`}
        defaultValue={setting.severity}
        className="w-32"
      >
        {SEVERITIES.map((severity) => (
          <NativeSelectOption key={severity} value={severity}>
            {severity[0]!.toUpperCase() + severity.slice(1)}
          </NativeSelectOption>
        ))}
      </NativeSelect>
      {maxAdministrators !== undefined ? (
        <label className="flex items-center gap-2 text-sm">
          At most
          <Input
            name="maxAdministrators"
            type="number"
            min={2}
            max={100}
            defaultValue={maxAdministrators}
            className="w-20"
            aria-label="Most administrators allowed"
          />
        </label>
      ) : null}
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        Save
      </Button>
      <span
        aria-live="polite"
        className={message?.error ? "text-xs text-destructive" : "text-xs text-muted-foreground"}
      >
        {message?.text ?? ""}
      </span>
    </form>
  );
}
