import { KEY_TYPES, keyTypeOf } from "@/lib/requests/key-drafts";
import {
  draftFromPolicy,
  policyFromDraft,
  termsOfChange,
  type DurationUnit,
  type PolicyDraft,
} from "@/lib/rotation/policy-draft";
import { keyTemplate, type KeyTemplate, type KeyTemplateInput } from "@/lib/templates/template";

/*
 * The key-template editor's maths, pure: a template as the form holds it (durations as amounts
 * and units, tag values as comma-separated text, numbers as typed) and the template it files,
 * checked with the API's own schema so that the form says what the server would.
 */

export interface TagDraft {
  name: string;
  description: string;
  /** Comma-separated; empty: a free value. */
  values: string;
}

export interface TemplateDraft {
  name: string;
  title: string;
  purpose: string;
  type: string;
  keyOps: string[];
  policy: PolicyDraft;
  maxExpiry: string;
  maxExpiryUnit: DurationUnit;
  tags: TagDraft[];
  namingRule: string;
  hsms: string[];
  approvals: string;
  /** Empty: the same as `approvals`. */
  timeLimitedGrantApprovals: string;
}

export type TemplateField =
  | "name"
  | "title"
  | "purpose"
  | "type"
  | "keyOps"
  | "every"
  | "expiresIn"
  | "maxExpiry"
  | "tags"
  | "namingRule"
  | "hsms"
  | "approvals"
  | "timeLimitedGrantApprovals";

function typeIdOf(template: Pick<KeyTemplate, "kty" | "size" | "curve">): string {
  return (
    KEY_TYPES.find(
      (t) =>
        t.kty === template.kty &&
        ("size" in t ? t.size === template.size : t.curve === template.curve),
    )?.id ?? "RSA-3072"
  );
}

function amountOf(text: string): { amount: string; unit: DurationUnit } {
  const match = /^P(\d+)([DWMY])$/.exec(text);
  return match ? { amount: match[1]!, unit: match[2] as DurationUnit } : { amount: "", unit: "Y" };
}

/** The form's starting values: the template being changed, or a new one. */
export function draftFromTemplate(
  template: KeyTemplate | null,
  hsms: readonly string[],
): TemplateDraft {
  if (!template)
    return {
      name: "",
      title: "",
      purpose: "",
      type: "RSA-3072",
      keyOps: ["wrapKey", "unwrapKey"],
      policy: draftFromPolicy(null).draft,
      maxExpiry: "2",
      maxExpiryUnit: "Y",
      tags: [{ name: "app", description: "Your application's short name", values: "" }],
      namingRule: "{group}-{app}-{nn}",
      hsms: [...hsms],
      approvals: "1",
      timeLimitedGrantApprovals: "",
    };
  const maxExpiry = amountOf(template.maxExpiry);
  return {
    name: template.name,
    title: template.title,
    purpose: template.purpose,
    type: typeIdOf(template),
    keyOps: [...template.keyOps],
    policy: draftFromPolicy(
      termsOfChange({
        lifetimeActions: template.rotationPolicy.lifetimeActions.map((a) => ({
          action: "Rotate" as const,
          ...(a.timeAfterCreate ? { timeAfterCreate: a.timeAfterCreate } : {}),
          ...(a.timeBeforeExpiry ? { timeBeforeExpiry: a.timeBeforeExpiry } : {}),
        })),
        expiresIn: template.rotationPolicy.expiresIn ?? null,
      }),
    ).draft,
    maxExpiry: maxExpiry.amount,
    maxExpiryUnit: maxExpiry.unit,
    tags: template.tags.map((tag) => ({
      name: tag.name,
      description: tag.description,
      values: tag.values?.join(", ") ?? "",
    })),
    namingRule: template.namingRule,
    hsms: [...template.hsms],
    approvals: String(template.approvals),
    timeLimitedGrantApprovals:
      template.timeLimitedGrantApprovals === undefined
        ? ""
        : String(template.timeLimitedGrantApprovals),
  };
}

const FIELD_OF_PATH: Record<string, TemplateField> = {
  name: "name",
  title: "title",
  purpose: "purpose",
  kty: "type",
  size: "type",
  curve: "type",
  keyOps: "keyOps",
  rotationPolicy: "every",
  maxExpiry: "maxExpiry",
  tags: "tags",
  namingRule: "namingRule",
  hsms: "hsms",
  approvals: "approvals",
  timeLimitedGrantApprovals: "timeLimitedGrantApprovals",
};

/** The form field a path inside the template belongs to (`rotationPolicy/expiresIn` → expiresIn). */
export function templateFieldOf(path: string): TemplateField | null {
  if (path.startsWith("rotationPolicy/expiresIn")) return "expiresIn";
  return FIELD_OF_PATH[path.split("/")[0] ?? ""] ?? null;
}

const count = (text: string) => (/^\d$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/** The template the draft files, or each field's first error. */
export function templateFromDraft(
  draft: TemplateDraft,
  now: number,
):
  | { template: KeyTemplate; errors: null }
  | { template: null; errors: Partial<Record<TemplateField, string>> } {
  const errors: Partial<Record<TemplateField, string>> = {};
  const type = keyTypeOf(draft.type);
  if (!type) errors.type = "Choose a key type.";
  const policy = policyFromDraft(draft.policy, now);
  if (policy.errors) Object.assign(errors, policy.errors);
  if (!/^[1-9]\d{0,2}$/.test(draft.maxExpiry.trim()))
    errors.maxExpiry = "Enter a whole number, 1 or more.";
  const grants = draft.timeLimitedGrantApprovals.trim();
  if (!(count(draft.approvals) <= 5)) errors.approvals = "Enter a number from 0 to 5.";
  if (grants !== "" && !(count(grants) <= 5))
    errors.timeLimitedGrantApprovals = "Enter a number from 0 to 5, or leave it empty.";
  const input: KeyTemplateInput = {
    name: draft.name.trim(),
    title: draft.title,
    purpose: draft.purpose,
    kty: type?.kty ?? "RSA",
    ...(type && "size" in type ? { size: type.size } : {}),
    ...(type && "curve" in type ? { curve: type.curve } : {}),
    keyOps: draft.keyOps as KeyTemplate["keyOps"],
    rotationPolicy: policy.policy ?? { lifetimeActions: [] },
    maxExpiry: `P${draft.maxExpiry.trim()}${draft.maxExpiryUnit}`,
    tags: draft.tags
      .filter((tag) => tag.name.trim() !== "")
      .map((tag) => {
        const values = tag.values
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== "");
        return {
          name: tag.name.trim(),
          description: tag.description.trim(),
          ...(values.length > 0 ? { values } : {}),
        };
      }),
    namingRule: draft.namingRule.trim(),
    hsms: draft.hsms,
    approvals: count(draft.approvals),
    ...(grants === "" ? {} : { timeLimitedGrantApprovals: count(grants) }),
  };
  const parsed = keyTemplate.safeParse(input);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = templateFieldOf(issue.path.map(String).join("/")) ?? "name";
      errors[field] ??= issue.message.replace(/^./, (c) => c.toUpperCase()) + ".";
    }
  if (Object.keys(errors).length > 0 || !parsed.success) return { template: null, errors };
  return { template: parsed.data, errors: null };
}
