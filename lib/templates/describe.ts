import { describePolicy, durationInWords } from "@/lib/rotation/policy";
import { keyTemplate, type KeyTemplate } from "@/lib/templates/template";

/* Key templates in words, for the request page and the templates page. Pure. */

/** "RSA-HSM 3072", "EC-HSM P-256", "oct-HSM 256". */
export function templateKeyType(template: Pick<KeyTemplate, "kty" | "size" | "curve">): string {
  return `${template.kty}-HSM ${template.kty === "EC" ? (template.curve ?? "") : String(template.size ?? "")}`.trim();
}

export const approvalsInWords = (count: number): string =>
  count === 0 ? "no approval (executes at once)" : `${count} approval${count === 1 ? "" : "s"}`;

/** Each of a template's terms as a labelled line, in the order the page shows them. */
export function templateTerms(template: KeyTemplate): [label: string, words: string][] {
  const grants = template.timeLimitedGrantApprovals ?? template.approvals;
  return [
    ["Title", template.title],
    ["Purpose", template.purpose],
    ["Key", templateKeyType(template)],
    ["Operations", template.keyOps.join(", ")],
    ["Rotation", describePolicy(rotationTerms(template))],
    ["Longest expiry", durationInWords(template.maxExpiry)],
    [
      "Tags",
      template.tags.length === 0
        ? "none required"
        : template.tags
            .map((tag) => `${tag.name} (${tag.values ? tag.values.join(" | ") : "free"})`)
            .join(", "),
    ],
    ["Naming rule", template.namingRule],
    ["HSMs", template.hsms.join(", ")],
    ["Approvals", approvalsInWords(template.approvals)],
    ["Time-limited grants", approvalsInWords(grants)],
  ];
}

function rotationTerms(template: KeyTemplate) {
  return {
    lifetimeActions: template.rotationPolicy.lifetimeActions.map((action) => ({
      action: action.action,
      timeAfterCreate: action.timeAfterCreate ?? null,
      timeBeforeExpiry: action.timeBeforeExpiry ?? null,
    })),
    expiresIn: template.rotationPolicy.expiresIn ?? null,
  };
}

/** The key template whose approvals a request was filed under (its first timeline line says). */
export function templateOfRequest(request: {
  timeline: readonly { what: string; detail: Record<string, unknown> }[];
}): string | null {
  const template = request.timeline.find((event) => event.what === "filed")?.detail.template;
  return typeof template === "string" ? template : null;
}

/** A template.upsert item in words: every term of a new template, or each term that changes. */
export function templateChangeInWords(change: unknown, before: unknown): string[] {
  const after = keyTemplate.safeParse(change);
  if (!after.success) return ["change a key template (unreadable)"];
  const was = before ? keyTemplate.safeParse(before) : null;
  const name = after.data.name;
  if (!was?.success)
    return [
      `create key template ${name}`,
      ...templateTerms(after.data).map(([label, words]) => `${label}: ${words}`),
    ];
  const old = new Map(templateTerms(was.data));
  const changed = templateTerms(after.data).filter(([label, words]) => old.get(label) !== words);
  if (changed.length === 0) return [`key template ${name}: nothing changes`];
  return [
    `change key template ${name}`,
    ...changed.map(([label, words]) => `${label}: ${old.get(label)} → ${words}`),
  ];
}
