"use client";

import { useState } from "react";
import Link from "next/link";
import { PlusIcon, Trash2Icon } from "lucide-react";

import { KEY_OPERATIONS, KEY_TYPES, keyTypeOf } from "@/lib/requests/key-drafts";
import { firstName } from "@/lib/templates/expand";
import { RULE_PLACEHOLDERS, type KeyTemplate } from "@/lib/templates/template";
import {
  draftFromTemplate,
  templateFieldOf,
  templateFromDraft,
  type TemplateDraft,
  type TemplateField,
} from "@/lib/templates/template-draft";
import { Button } from "@/components/ui/button";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { DurationField } from "@/components/requests/duration-field";
import { RequestForm } from "@/components/requests/request-form";
import { RotationPolicyFields } from "@/components/requests/rotation-policy-fields";

const APPROVALS: [string, string][] = [
  ["0", "0: requests execute at once (still audited)"],
  ["1", "1 approver"],
  ["2", "2 approvers"],
  ["3", "3 approvers"],
  ["4", "4 approvers"],
  ["5", "5 approvers"],
];

/** The template editor: real fields for every term, filed as one template.upsert item. */
export function TemplateForm({
  current,
  hsms,
  now,
}: {
  current: KeyTemplate | null;
  hsms: string[];
  now: number;
}) {
  const [draft, setDraft] = useState<TemplateDraft>(() => draftFromTemplate(current, hsms));
  const set = (change: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...change }));
  const family = keyTypeOf(draft.type)?.kty ?? "RSA";
  const sampleTags = Object.fromEntries(
    draft.tags.map((tag) => [tag.name, tag.values.split(",")[0]?.trim() || "shop"]),
  );
  const example = firstName(draft.namingRule, "Payments team", sampleTags);

  return (
    <RequestForm<TemplateField>
      id="template"
      kind="template.upsert"
      build={() => {
        const result = templateFromDraft(draft, now);
        return result.template ? { item: result.template } : { errors: result.errors };
      }}
      itemFieldOf={templateFieldOf}
      submitLabel="File the request"
      afterFiled={
        <Link href="/templates" className="ui-link w-fit text-primary underline">
          Back to the templates
        </Link>
      }
    >
      {(errors) => (
        <div className="flex flex-col gap-4">
          <div className="grid gap-4 md:grid-cols-2">
            <Field>
              <FieldLabel htmlFor="template-name">Name</FieldLabel>
              <Input
                id="template-name"
                value={draft.name}
                readOnly={current !== null}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors.name ? true : undefined}
                onChange={(event) => set({ name: event.target.value })}
              />
              <FieldDescription>
                {current
                  ? "A template keeps its name."
                  : "Lower case, e.g. storage-cmk; it cannot change later."}
              </FieldDescription>
              <FieldError>{errors.name}</FieldError>
            </Field>
            <Field>
              <FieldLabel htmlFor="template-title">Title</FieldLabel>
              <Input
                id="template-title"
                value={draft.title}
                maxLength={120}
                aria-invalid={errors.title ? true : undefined}
                onChange={(event) => set({ title: event.target.value })}
              />
              <FieldError>{errors.title}</FieldError>
            </Field>
          </div>
          <Field>
            <FieldLabel htmlFor="template-purpose">Purpose</FieldLabel>
            <Textarea
              id="template-purpose"
              value={draft.purpose}
              maxLength={1000}
              aria-invalid={errors.purpose ? true : undefined}
              onChange={(event) => set({ purpose: event.target.value })}
            />
            <FieldDescription>
              What the keys are for, in words application teams know.
            </FieldDescription>
            <FieldError>{errors.purpose}</FieldError>
          </Field>
          <div className="grid gap-4 md:grid-cols-2">
            <Field>
              <FieldLabel htmlFor="template-type">Key type</FieldLabel>
              <NativeSelect
                id="template-type"
                value={draft.type}
                aria-invalid={errors.type ? true : undefined}
                onChange={(event) => {
                  const kty = keyTypeOf(event.target.value)?.kty ?? "RSA";
                  set({ type: event.target.value, keyOps: [...KEY_OPERATIONS[kty]] });
                }}
              >
                <NativeSelectOptions options={KEY_TYPES.map((t) => [t.id, t.label] as const)} />
              </NativeSelect>
              <FieldError>{errors.type}</FieldError>
            </Field>
            <fieldset className="flex flex-col gap-1">
              <legend className="text-sm font-medium">Operations</legend>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {KEY_OPERATIONS[family].map((op) => (
                  <label key={op} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      checked={draft.keyOps.includes(op)}
                      onChange={(event) =>
                        set({
                          keyOps: event.target.checked
                            ? [...draft.keyOps, op]
                            : draft.keyOps.filter((o) => o !== op),
                        })
                      }
                    />
                    {op}
                  </label>
                ))}
              </div>
              <FieldError>{errors.keyOps}</FieldError>
            </fieldset>
          </div>
          <div className="grid gap-4 md:grid-cols-2">
            <RotationPolicyFields
              id="template-rotation"
              draft={draft.policy}
              errors={{ every: errors.every, expiresIn: errors.expiresIn }}
              onChange={(change) => set({ policy: { ...draft.policy, ...change } })}
            />
            <DurationField
              id="template-max-expiry"
              label="Longest life of a key"
              hint="Caps a new key's expiry and any later extension (28 days to 10 years)."
              amount={draft.maxExpiry}
              unit={draft.maxExpiryUnit}
              error={errors.maxExpiry}
              onChange={(maxExpiry, maxExpiryUnit) => set({ maxExpiry, maxExpiryUnit })}
            />
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">Required tags</legend>
            {draft.tags.map((tag, index) => (
              <div key={index} className="grid gap-2 md:grid-cols-[1fr_2fr_2fr_auto]">
                {(["name", "description", "values"] as const).map((part) => (
                  <Input
                    key={part}
                    aria-label={`Tag ${index + 1} ${part === "values" ? "allowed values" : part}`}
                    placeholder={
                      part === "name"
                        ? "environment"
                        : part === "values"
                          ? "dev, test, prod (empty: free)"
                          : "What it says"
                    }
                    value={tag[part]}
                    onChange={(event) =>
                      set({
                        tags: draft.tags.map((t, i) =>
                          i === index ? { ...t, [part]: event.target.value } : t,
                        ),
                      })
                    }
                  />
                ))}
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove tag ${index + 1}`}
                  onClick={() => set({ tags: draft.tags.filter((_, i) => i !== index) })}
                >
                  <Trash2Icon aria-hidden />
                </Button>
              </div>
            ))}
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="w-fit"
              onClick={() =>
                set({ tags: [...draft.tags, { name: "", description: "", values: "" }] })
              }
            >
              <PlusIcon aria-hidden />
              Add a tag
            </Button>
            <FieldError>{errors.tags}</FieldError>
          </fieldset>
          <Field>
            <FieldLabel htmlFor="template-rule">Naming rule</FieldLabel>
            <Input
              id="template-rule"
              value={draft.namingRule}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.namingRule ? true : undefined}
              onChange={(event) => set({ namingRule: event.target.value })}
            />
            <FieldDescription>
              Placeholders: {RULE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")} and each tag&apos;s
              name in braces. For the Payments team: {example}
            </FieldDescription>
            <FieldError>{errors.namingRule}</FieldError>
          </Field>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium">HSMs</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-1">
              {[...new Set([...hsms, ...draft.hsms])].map((hsm) => (
                <label key={hsm} className="flex items-center gap-1.5 text-sm">
                  <input
                    type="checkbox"
                    checked={draft.hsms.includes(hsm)}
                    onChange={(event) =>
                      set({
                        hsms: event.target.checked
                          ? [...draft.hsms, hsm]
                          : draft.hsms.filter((h) => h !== hsm),
                      })
                    }
                  />
                  {hsm}
                </label>
              ))}
            </div>
            <FieldError>{errors.hsms}</FieldError>
          </fieldset>
          <div className="grid gap-4 md:grid-cols-2">
            <Field>
              <FieldLabel htmlFor="template-approvals">Approvals a request needs</FieldLabel>
              <NativeSelect
                id="template-approvals"
                value={draft.approvals}
                aria-invalid={errors.approvals ? true : undefined}
                onChange={(event) => set({ approvals: event.target.value })}
              >
                <NativeSelectOptions options={APPROVALS} />
              </NativeSelect>
              <FieldDescription>
                For new keys, rotations, expiry extensions and permanent grants.
              </FieldDescription>
              <FieldError>{errors.approvals}</FieldError>
            </Field>
            <Field>
              <FieldLabel htmlFor="template-grant-approvals">
                Approvals a time-limited grant needs
              </FieldLabel>
              <NativeSelect
                id="template-grant-approvals"
                value={draft.timeLimitedGrantApprovals}
                aria-invalid={errors.timeLimitedGrantApprovals ? true : undefined}
                onChange={(event) => set({ timeLimitedGrantApprovals: event.target.value })}
              >
                <NativeSelectOptions options={[["", "The same as other requests"], ...APPROVALS]} />
              </NativeSelect>
              <FieldError>{errors.timeLimitedGrantApprovals}</FieldError>
            </Field>
          </div>
        </div>
      )}
    </RequestForm>
  );
}
