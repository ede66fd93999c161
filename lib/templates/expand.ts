import type { z } from "zod";

import type { keyCreateItem, keyFromTemplateItem } from "@/lib/requests/item-schemas";
import {
  FREE_TAG_VALUE,
  FREE_TAG_VALUE_WORDS,
  latestExpiry,
  RESERVED_TAGS,
  rulePlaceholders,
  type KeyTemplate,
} from "@/lib/templates/template";

/*
 * A key.create item that names a template, made into the full item the executor runs: the
 * template fixes the key's type, size, operations, rotation policy and latest expiry; the
 * requester's group becomes the owner tag; the naming rule gives the name. Pure: the service
 * reads the template, the group's name, the names taken and the clock, and passes them in.
 */

export type TemplateItem = z.output<typeof keyFromTemplateItem>;
export type FullKeyCreateItem = z.output<typeof keyCreateItem>;

export interface ExpandContext {
  template: KeyTemplate;
  hsm: string;
  /** The owner group, with its name from the directory (null: not known there). */
  group: { id: string; name: string | null };
  now: number;
  /** Whether a key name is in use on the HSM (a key, a deleted key or a pending request's). */
  taken: (name: string) => boolean;
}

export interface ExpandProblem {
  /** Under the item: ["tags", "environment"], ["name"]… */
  path: string[];
  message: string;
}

export type Expansion =
  { ok: true; item: FullKeyCreateItem } | { ok: false; problems: ExpandProblem[] };

const MAX_TAGS = 15;
const MAX_NUMBER = 99;

/** "Payments team" → "payments": the group's name as a key name part. */
export function groupSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/-team$/, "");
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The name the rule gives for number `nn`, given the placeholders' values. */
function nameFor(rule: string, values: Record<string, string>, nn: number): string {
  return rule.replace(/\{([a-zA-Z][a-zA-Z0-9-]*)\}/g, (_, name: string) =>
    name === "nn" ? String(nn).padStart(2, "0") : (values[name] ?? ""),
  );
}

/**
 * The name a template's rule gives first, for a form's preview ("payments-shop-prod-01"); a
 * value not chosen yet stays its placeholder ("payments-{app}-prod-01").
 */
export function firstName(rule: string, groupName: string | null, tags: Record<string, string>) {
  const values = Object.fromEntries(
    rulePlaceholders(rule).map((name) => [name, tags[name]?.trim() || `{${name}}`]),
  );
  return nameFor(rule, { ...values, group: groupName ? groupSlug(groupName) : "{group}" }, 1);
}

/** Whether a name the requester gave follows the rule (any two digits for {nn}). */
function followsRule(rule: string, values: Record<string, string>, name: string): boolean {
  const pattern = rule
    .split(/(\{[a-zA-Z][a-zA-Z0-9-]*\})/)
    .map((part) => {
      const placeholder = /^\{(.+)\}$/.exec(part)?.[1];
      if (placeholder === undefined) return escape(part);
      return placeholder === "nn" ? "\\d{2}" : escape(values[placeholder] ?? "");
    })
    .join("");
  return new RegExp(`^${pattern}$`).test(name);
}

function tagProblems(template: KeyTemplate, given: Record<string, string>): ExpandProblem[] {
  const problems: ExpandProblem[] = [];
  for (const tag of template.tags) {
    const value = given[tag.name];
    if (value === undefined)
      problems.push({
        path: ["tags", tag.name],
        message: tag.values
          ? `the template ${template.name} needs the tag ${tag.name}: one of ${tag.values.join(", ")}`
          : `the template ${template.name} needs the tag ${tag.name} (${FREE_TAG_VALUE_WORDS})`,
      });
    else if (tag.values && !tag.values.includes(value))
      problems.push({
        path: ["tags", tag.name],
        message: `${tag.name} is one of ${tag.values.join(", ")}, not ${value}`,
      });
    else if (!tag.values && !FREE_TAG_VALUE.test(value))
      problems.push({
        path: ["tags", tag.name],
        message: `${tag.name} is ${FREE_TAG_VALUE_WORDS}`,
      });
  }
  for (const name of RESERVED_TAGS)
    if (given[name] !== undefined)
      problems.push({
        path: ["tags", name],
        message:
          name === "owner"
            ? "the owner tag is the group you choose, not a tag you set"
            : "the template tag is set from the template you choose",
      });
  if (Object.keys(given).length + RESERVED_TAGS.length > MAX_TAGS)
    problems.push({
      path: ["tags"],
      message: `a key holds at most ${MAX_TAGS} tags, ${RESERVED_TAGS.length} of them set by the portal`,
    });
  return problems;
}

export function expandTemplateItem(item: TemplateItem, context: ExpandContext): Expansion {
  const { template, hsm, group, now } = context;
  const given = item.tags ?? {};
  const problems = tagProblems(template, given);
  if (!template.hsms.includes(hsm))
    problems.push({
      path: ["template"],
      message: `the template ${template.name} makes keys in ${template.hsms.join(", ")}, not in ${hsm}`,
    });
  const usesGroup = rulePlaceholders(template.namingRule).includes("group");
  const slug = group.name ? groupSlug(group.name) : "";
  if (usesGroup && !slug && item.name === undefined)
    problems.push({
      path: ["group"],
      message:
        "the directory does not know this group's name yet, so the naming rule cannot use it; give the key's name",
    });
  if (problems.length > 0) return { ok: false, problems };

  const values: Record<string, string> = { ...given, group: slug };
  let name = item.name;
  if (name !== undefined) {
    if (!followsRule(template.namingRule, values, name))
      return {
        ok: false,
        problems: [
          {
            path: ["name"],
            message: `the template ${template.name} names keys ${template.namingRule}, here ${nameFor(template.namingRule, values, 1)} or another number; ${name} does not follow it`,
          },
        ],
      };
    if (context.taken(name))
      return { ok: false, problems: [{ path: ["name"], message: `${name} is taken on ${hsm}` }] };
  } else {
    for (let nn = 1; nn <= MAX_NUMBER && name === undefined; nn++) {
      const candidate = nameFor(template.namingRule, values, nn);
      if (!context.taken(candidate)) name = candidate;
    }
    if (name === undefined)
      return {
        ok: false,
        problems: [
          {
            path: ["name"],
            message: `every number from 01 to ${MAX_NUMBER} of ${nameFor(template.namingRule, values, 1)} is taken on ${hsm}`,
          },
        ],
      };
  }
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(name))
    return {
      ok: false,
      problems: [
        { path: ["name"], message: `${name} is not a key name (1–127 letters, digits, -)` },
      ],
    };

  return {
    ok: true,
    item: {
      key: name,
      kty: template.kty,
      ...(template.size !== undefined ? { size: template.size } : {}),
      ...(template.curve !== undefined ? { curve: template.curve } : {}),
      keyOps: [...template.keyOps],
      expiresOn: new Date(latestExpiry(template, now)).toISOString(),
      tags: { ...given, owner: group.id, template: template.name },
      rotationPolicy: template.rotationPolicy,
    },
  };
}
