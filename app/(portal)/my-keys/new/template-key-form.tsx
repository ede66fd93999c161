"use client";

import { useState } from "react";
import Link from "next/link";

import { fieldByMember } from "@/lib/requests/field-errors";
import { approvalsInWords } from "@/lib/templates/describe";
import { firstName } from "@/lib/templates/expand";
import { FREE_TAG_VALUE, FREE_TAG_VALUE_WORDS, type KeyTemplate } from "@/lib/templates/template";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";
import { Fact, FactList } from "@/components/layout/fact-list";
import { RequestForm } from "@/components/requests/request-form";

type FormField = "template" | "hsm" | "group" | "name" | "tags" | `tag:${string}`;

/** A server pointer inside the item (`tags/environment`) to its field. */
function itemFieldOf(path: string): FormField | null {
  const [member, tag] = path.split("/");
  if (member === "tags" && tag) return `tag:${tag}`;
  return fieldByMember<FormField>(
    { template: "template", group: "group", name: "name", tags: "tags", key: "name" },
    "name",
  )(path);
}

export function TemplateKeyForm({
  templates,
  groups,
}: {
  templates: { template: KeyTemplate; terms: [string, string][] }[];
  /** `name`: the directory's name, for the naming rule's {group}; null when unknown. */
  groups: { id: string; text: string; name: string | null }[];
}) {
  const [chosen, setChosen] = useState(templates[0]!.template.name);
  const current = templates.find((t) => t.template.name === chosen) ?? templates[0]!;
  const template = current.template;
  const [hsm, setHsm] = useState(template.hsms[0]!);
  // A group the directory names comes first: its name can go into the key's name.
  const [group, setGroup] = useState((groups.find((g) => g.name) ?? groups[0]!).id);
  const [tags, setTags] = useState<Record<string, string>>({});
  const [name, setName] = useState("");
  const groupName = groups.find((g) => g.id === group)?.name ?? null;
  const preview = firstName(template.namingRule, groupName, tags);

  function choose(next: string) {
    const found = templates.find((t) => t.template.name === next)!.template;
    setChosen(next);
    if (!found.hsms.includes(hsm)) setHsm(found.hsms[0]!);
  }

  function build() {
    const errors: Partial<Record<FormField, string>> = {};
    const given: Record<string, string> = {};
    for (const tag of template.tags) {
      const value = (tags[tag.name] ?? "").trim();
      if (value === "") errors[`tag:${tag.name}`] = `Choose the ${tag.name}.`;
      else if (!tag.values && !FREE_TAG_VALUE.test(value))
        errors[`tag:${tag.name}`] = `The ${tag.name} is ${FREE_TAG_VALUE_WORDS}.`;
      else given[tag.name] = value;
    }
    if (Object.keys(errors).length > 0) return { errors };
    return {
      item: {
        template: template.name,
        group,
        ...(name.trim() ? { name: name.trim() } : {}),
        tags: given,
      },
    };
  }

  return (
    <RequestForm<FormField>
      id="template-key"
      kind="key.create"
      hsm={hsm}
      build={build}
      itemFieldOf={itemFieldOf}
      hsmField="hsm"
      submitLabel="File the request"
      afterFiled={
        <Link href="/my-keys" className="ui-link w-fit text-primary underline">
          Back to my keys
        </Link>
      }
    >
      {(errors) => (
        <div className="flex flex-col gap-4">
          <Field>
            <FieldLabel htmlFor="template-key-template">Template</FieldLabel>
            <NativeSelect
              id="template-key-template"
              value={chosen}
              aria-invalid={errors.template ? true : undefined}
              onChange={(event) => choose(event.target.value)}
            >
              <NativeSelectOptions
                options={templates.map(({ template: t }) => [t.name, t.title] as const)}
              />
            </NativeSelect>
            <FieldError>{errors.template}</FieldError>
          </Field>
          <details className="rounded-md border p-3 text-sm" open>
            <summary className="cursor-pointer font-medium">What the template fixes</summary>
            <FactList>
              {current.terms
                .filter(([label]) => label !== "Title")
                .map(([label, words]) => (
                  <Fact key={label} term={label}>
                    {words}
                  </Fact>
                ))}
            </FactList>
          </details>
          <div className="grid gap-4 md:grid-cols-2">
            <Field>
              <FieldLabel htmlFor="template-key-hsm">HSM</FieldLabel>
              <NativeSelect
                id="template-key-hsm"
                value={hsm}
                aria-invalid={errors.hsm ? true : undefined}
                onChange={(event) => setHsm(event.target.value)}
              >
                <NativeSelectOptions options={template.hsms.map((h) => [h, h] as const)} />
              </NativeSelect>
              <FieldError>{errors.hsm}</FieldError>
            </Field>
            <Field>
              <FieldLabel htmlFor="template-key-group">Owner group</FieldLabel>
              <NativeSelect
                id="template-key-group"
                value={group}
                aria-invalid={errors.group ? true : undefined}
                onChange={(event) => setGroup(event.target.value)}
              >
                <NativeSelectOptions options={groups.map((g) => [g.id, g.text] as const)} />
              </NativeSelect>
              <FieldDescription>
                The key&apos;s owner tag: its members see and ask for it.
              </FieldDescription>
              <FieldError>{errors.group}</FieldError>
            </Field>
            {template.tags.map((tag) => {
              const id = `template-key-tag-${tag.name}`;
              const error = errors[`tag:${tag.name}`];
              return (
                <Field key={tag.name}>
                  <FieldLabel htmlFor={id}>{tag.name}</FieldLabel>
                  {tag.values ? (
                    <NativeSelect
                      id={id}
                      value={tags[tag.name] ?? ""}
                      aria-invalid={error ? true : undefined}
                      onChange={(event) => setTags({ ...tags, [tag.name]: event.target.value })}
                    >
                      <NativeSelectOptions
                        options={[["", "Choose…"], ...tag.values.map((v) => [v, v] as const)]}
                      />
                    </NativeSelect>
                  ) : (
                    <Input
                      id={id}
                      value={tags[tag.name] ?? ""}
                      maxLength={24}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={error ? true : undefined}
                      onChange={(event) => setTags({ ...tags, [tag.name]: event.target.value })}
                    />
                  )}
                  <FieldDescription>
                    {tag.description || (tag.values ? "" : FREE_TAG_VALUE_WORDS)}
                  </FieldDescription>
                  <FieldError>{error}</FieldError>
                </Field>
              );
            })}
            <Field>
              <FieldLabel htmlFor="template-key-name">Name (optional)</FieldLabel>
              <Input
                id="template-key-name"
                value={name}
                placeholder={preview}
                maxLength={127}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors.name ? true : undefined}
                onChange={(event) => setName(event.target.value)}
              />
              <FieldDescription>
                Named {template.namingRule}; left empty, the first free number is taken ({preview}).
              </FieldDescription>
              <FieldError>{errors.name}</FieldError>
            </Field>
          </div>
          <p className="text-sm text-muted-foreground">
            Needs {approvalsInWords(template.approvals)}.
          </p>
          <FieldError>{errors.tags}</FieldError>
        </div>
      )}
    </RequestForm>
  );
}
