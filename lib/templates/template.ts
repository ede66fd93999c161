import { z } from "zod";

import {
  AES_SIZES,
  CURVES,
  isoDuration,
  rotationPolicyChange,
  RSA_SIZES,
} from "@/lib/requests/item-schemas";
import { KEY_OPERATIONS, type KeyOperation } from "@/lib/requests/key-drafts";
import { addDuration, parseDuration } from "@/lib/rotation/duration";
import { durationInWords } from "@/lib/rotation/policy";
import { hsmName } from "@/lib/validation/primitives";

/*
 * A key template: what the key team lets application teams ask for without writing the key's
 * every property themselves — the key's type and size, its operations, the rotation policy it
 * must carry, how long it may live, the tags it must hold, how it is named, where it lives and
 * how many approvals a request from it needs. Pure: the schema and the rules a template must
 * keep (table-driven tests in template.test.ts).
 */

export const KEY_TYPES = ["RSA", "EC", "oct"] as const;
/** Every operation a template may allow (an RSA key's, which cover the others'). */
const TEMPLATE_OPERATIONS = KEY_OPERATIONS.RSA as readonly [KeyOperation, ...KeyOperation[]];

/** Tags the portal sets itself on a key made from a template; a template cannot ask for them. */
export const RESERVED_TAGS = ["owner", "template"] as const;

/** A free tag value (no list given): short, lower case, usable in a key's name. */
export const FREE_TAG_VALUE = /^[a-z0-9][a-z0-9-]{0,23}$/;
export const FREE_TAG_VALUE_WORDS =
  "1–24 lower-case letters, digits and hyphens, starting with a letter or digit";

export const templateTag = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9-]{0,31}$/, "must be a tag name: a letter, then letters, digits, -"),
  description: z.string().trim().max(200).default(""),
  /** The values a requester picks from; absent: a free value (FREE_TAG_VALUE). */
  values: z
    .array(z.string().regex(FREE_TAG_VALUE, `each value is ${FREE_TAG_VALUE_WORDS}`))
    .min(1)
    .max(50)
    .optional(),
});
export type TemplateTag = z.output<typeof templateTag>;

/** Placeholders a naming rule may use besides its tags' names. */
export const RULE_PLACEHOLDERS = ["group", "nn"] as const;
const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9-]*)\}/g;

const templateFields = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, "must be 2–63 lower-case letters, digits and hyphens"),
  title: z.string().trim().min(1).max(120),
  purpose: z.string().trim().min(1).max(1000),
  kty: z.enum(KEY_TYPES),
  size: z.number().int().optional(),
  curve: z.enum(CURVES).optional(),
  keyOps: z.array(z.enum(TEMPLATE_OPERATIONS)).min(1).max(TEMPLATE_OPERATIONS.length),
  rotationPolicy: rotationPolicyChange,
  /** The longest a key (or an extension of its expiry) may live, from the day it is asked for. */
  maxExpiry: isoDuration,
  tags: z.array(templateTag).max(10).default([]),
  /** e.g. `{group}-{app}-{environment}-{nn}`: a tag's name in braces is its value. */
  namingRule: z.string().min(4).max(120),
  hsms: z.array(hsmName).min(1).max(20),
  /** Distinct approvers a request from this template needs; 0: it executes at once. */
  approvals: z.number().int().min(0).max(5),
  /** For time-limited grants on its keys; absent: the same as `approvals`. */
  timeLimitedGrantApprovals: z.number().int().min(0).max(5).optional(),
});

export type KeyTemplateInput = z.input<typeof templateFields>;

export interface TemplateProblem {
  path: (string | number)[];
  message: string;
}

const DAY_MS = 86_400_000;
/** What a template's durations are measured from in its rules: any fixed day gives the same answer. */
const RULE_EPOCH = Date.UTC(2026, 0, 1);
const lengthOf = (text: string): number | null => {
  const parsed = parseDuration(text);
  return parsed ? addDuration(RULE_EPOCH, parsed) - RULE_EPOCH : null;
};

/** The placeholders of a naming rule, in order. */
export function rulePlaceholders(rule: string): string[] {
  return [...rule.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** The rules a template must keep beyond the shape of its fields, as problems at their paths. */
export function templateProblems(t: z.output<typeof templateFields>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });

  if (t.kty === "RSA" && !RSA_SIZES.includes(t.size as never))
    add(["size"], `an RSA key is ${RSA_SIZES.join(", ")} bits`);
  if (t.kty === "oct" && !AES_SIZES.includes(t.size as never))
    add(["size"], `an oct-HSM (AES) key is ${AES_SIZES.join(", ")} bits`);
  if (t.kty === "EC" && t.size !== undefined) add(["size"], "an EC key has a curve, not a size");
  if (t.kty === "EC" && t.curve === undefined) add(["curve"], "an EC key needs a curve");
  if (t.kty !== "EC" && t.curve !== undefined) add(["curve"], "only an EC key has a curve");
  t.keyOps.forEach((op, index) => {
    if (!KEY_OPERATIONS[t.kty].includes(op)) add(["keyOps", index], `an ${t.kty} key cannot ${op}`);
  });

  if (!t.rotationPolicy.lifetimeActions.some((action) => action.action === "Rotate"))
    add(["rotationPolicy"], "a template's rotation policy must rotate the key");
  const maxExpiry = lengthOf(t.maxExpiry);
  if (maxExpiry === null || maxExpiry < 28 * DAY_MS || maxExpiry > 10 * 366 * DAY_MS)
    add(["maxExpiry"], "the maximum expiry is from 28 days to 10 years");
  const expiresIn = t.rotationPolicy.expiresIn ? lengthOf(t.rotationPolicy.expiresIn) : null;
  if (maxExpiry !== null && expiresIn !== null && expiresIn > maxExpiry)
    add(
      ["rotationPolicy", "expiresIn"],
      `new versions would expire after ${durationInWords(t.rotationPolicy.expiresIn!)}, beyond the maximum expiry of ${durationInWords(t.maxExpiry)}`,
    );

  const tagNames = new Set<string>();
  t.tags.forEach((tag, index) => {
    if ((RESERVED_TAGS as readonly string[]).includes(tag.name))
      add(["tags", index, "name"], `the portal sets the ${tag.name} tag itself`);
    if (RULE_PLACEHOLDERS.includes(tag.name as never))
      add(["tags", index, "name"], `{${tag.name}} is a naming rule's own placeholder`);
    if (tagNames.has(tag.name)) add(["tags", index, "name"], `the tag ${tag.name} is listed twice`);
    tagNames.add(tag.name);
  });

  const placeholders = rulePlaceholders(t.namingRule);
  const literal = t.namingRule.replace(PLACEHOLDER, "");
  if (!/^[a-z0-9-]*$/.test(literal))
    add(
      ["namingRule"],
      "outside its placeholders a naming rule holds lower-case letters, digits and hyphens",
    );
  if (!placeholders.includes("nn"))
    add(["namingRule"], "a naming rule holds {nn}, so that one group can have several keys");
  for (const name of new Set(placeholders))
    if (!RULE_PLACEHOLDERS.includes(name as never) && !tagNames.has(name))
      add(["namingRule"], `{${name}} is neither {group}, {nn} nor one of the template's tags`);
  if (placeholders.length !== new Set(placeholders).size)
    add(["namingRule"], "a naming rule uses each placeholder once");
  if (new Set(t.hsms).size !== t.hsms.length) add(["hsms"], "an HSM is listed twice");
  return problems;
}

/** A key template as the key team writes it (`template.upsert` items, GET /api/key-templates). */
export const keyTemplate = templateFields.superRefine((template, ctx) => {
  for (const problem of templateProblems(template))
    ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
});
export type KeyTemplate = z.output<typeof keyTemplate>;

/** Approvals a time-limited grant on a key from this template needs. */
export const grantApprovals = (template: KeyTemplate, timeLimited: boolean): number =>
  timeLimited ? (template.timeLimitedGrantApprovals ?? template.approvals) : template.approvals;

/** The latest expiry a key from this template may carry, asked for at `now`. */
export function latestExpiry(template: KeyTemplate, now: number): number {
  return addDuration(now, parseDuration(template.maxExpiry)!);
}
