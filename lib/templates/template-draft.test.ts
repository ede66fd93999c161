import { describe, expect, it } from "vitest";

import { keyTemplate } from "@/lib/templates/template";
import {
  draftFromTemplate,
  templateFieldOf,
  templateFromDraft,
  type TemplateDraft,
} from "@/lib/templates/template-draft";
import { DEMO_TEMPLATES } from "@/scripts/lib/seed/demo-templates";

const NOW = Date.UTC(2026, 11, 4);
const HSMS = ["keyward-weu", "keyward-neu"];
const draft = (change: Partial<TemplateDraft> = {}): TemplateDraft => ({
  ...draftFromTemplate(null, HSMS),
  name: "team-cmk",
  title: "Team CMK",
  purpose: "Wraps a team's storage keys",
  ...change,
});

describe("the key-template editor", () => {
  it("files every demo template it is opened on unchanged", () => {
    for (const input of DEMO_TEMPLATES) {
      const template = keyTemplate.parse(input);
      expect(templateFromDraft(draftFromTemplate(template, HSMS), NOW)).toEqual({
        template,
        errors: null,
      });
    }
  });

  it("files a new template from its defaults", () => {
    const result = templateFromDraft(draft(), NOW);
    expect(result.errors).toBeNull();
    expect(result.template).toMatchObject({
      kty: "RSA",
      size: 3072,
      maxExpiry: "P2Y",
      rotationPolicy: {
        lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }],
        expiresIn: "P1Y",
      },
      tags: [{ name: "app", description: "Your application's short name" }],
      hsms: HSMS,
      approvals: 1,
    });
    expect(result.template).not.toHaveProperty("timeLimitedGrantApprovals");
  });

  it("reads tag values as a comma-separated list", () => {
    const result = templateFromDraft(
      draft({
        tags: [{ name: "environment", description: "", values: "dev, test ,prod," }],
        namingRule: "{group}-{environment}-{nn}",
      }),
      NOW,
    );
    expect(result.template?.tags).toEqual([
      { name: "environment", description: "", values: ["dev", "test", "prod"] },
    ]);
  });

  it.each<[string, Partial<TemplateDraft>, string, RegExp]>([
    ["no name", { name: "" }, "name", /lower-case letters/],
    ["an upper-case name", { name: "Team" }, "name", /lower-case letters/],
    ["no title", { title: " " }, "title", /./],
    ["an EC key that wraps", { type: "EC-P-256" }, "keyOps", /cannot wrapKey/],
    ["no operation", { keyOps: [] }, "keyOps", /./],
    ["no maximum expiry", { maxExpiry: "" }, "maxExpiry", /whole number/],
    [
      "versions outliving the maximum",
      { maxExpiry: "6", maxExpiryUnit: "M" },
      "expiresIn",
      /beyond the maximum expiry/,
    ],
    ["a rule without {nn}", { namingRule: "{group}-{app}" }, "namingRule", /holds \{nn\}/],
    [
      "a rule naming an unknown tag",
      { namingRule: "{group}-{env}-{nn}" },
      "namingRule",
      /\{env\} is neither/,
    ],
    ["no HSM", { hsms: [] }, "hsms", /./],
    ["seven approvals", { approvals: "7" }, "approvals", /0 to 5/],
    ["approvals in words", { approvals: "one" }, "approvals", /0 to 5/],
    [
      "grant approvals of 9",
      { timeLimitedGrantApprovals: "9" },
      "timeLimitedGrantApprovals",
      /0 to 5/,
    ],
  ])("refuses %s", (_, change, field, words) => {
    const result = templateFromDraft(draft(change), NOW);
    expect(result.template).toBeNull();
    expect(result.errors?.[field as keyof typeof result.errors]).toMatch(words);
  });

  it.each([
    ["rotationPolicy/expiresIn", "expiresIn"],
    ["rotationPolicy/lifetimeActions/0", "every"],
    ["size", "type"],
    ["tags/1/values/0", "tags"],
    ["namingRule", "namingRule"],
    ["nonsense", null],
  ])("puts a server message at %s under %s", (path, field) => {
    expect(templateFieldOf(path)).toBe(field);
  });
});
