import { describe, expect, it } from "vitest";

import { templateChangeInWords, templateTerms } from "@/lib/templates/describe";
import { keyTemplate, latestExpiry, type KeyTemplateInput } from "@/lib/templates/template";
import { DEMO_TEMPLATES } from "@/scripts/lib/seed/demo-templates";

const BASE: KeyTemplateInput = {
  name: "storage-cmk",
  title: "Storage CMK",
  purpose: "Wraps storage data keys",
  kty: "RSA",
  size: 3072,
  keyOps: ["wrapKey", "unwrapKey"],
  rotationPolicy: {
    lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1Y" }],
    expiresIn: "P2Y",
  },
  maxExpiry: "P2Y",
  tags: [{ name: "environment", values: ["dev", "test", "prod"] }, { name: "app" }],
  namingRule: "{group}-{app}-{environment}-{nn}",
  hsms: ["keyward-weu"],
  approvals: 1,
};

/** The first problem's path and words, or null when the template is accepted. */
function problem(change: Partial<KeyTemplateInput>): [string, string] | null {
  const parsed = keyTemplate.safeParse({ ...BASE, ...change });
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return [issue.path.join("/"), issue.message];
}

describe("key template rules", () => {
  it.each<[string, Partial<KeyTemplateInput>, [string, RegExp] | null]>([
    ["the base template", {}, null],
    ["0 approvals (a low-risk template)", { approvals: 0 }, null],
    ["an RSA size Managed HSM does not make", { size: 1024 }, ["size", /2048, 3072, 4096/]],
    [
      "an AES key of 512 bits",
      { kty: "oct", size: 512, keyOps: ["wrapKey"] },
      ["size", /128, 192, 256/],
    ],
    [
      "an EC key with a size",
      { kty: "EC", size: 256, curve: "P-256", keyOps: ["sign"] },
      ["size", /curve, not a size/],
    ],
    [
      "an EC key without a curve",
      { kty: "EC", size: undefined, keyOps: ["sign"] },
      ["curve", /needs a curve/],
    ],
    ["a curve on an RSA key", { curve: "P-256" }, ["curve", /only an EC key/]],
    [
      "an EC key that encrypts",
      { kty: "EC", size: undefined, curve: "P-256", keyOps: ["encrypt"] },
      ["keyOps/0", /cannot encrypt/],
    ],
    ["no operations", { keyOps: [] }, ["keyOps", /./]],
    [
      "a policy that never rotates",
      { rotationPolicy: { lifetimeActions: [], expiresIn: "P1Y" } },
      ["rotationPolicy", /must rotate/],
    ],
    [
      "versions living longer than the maximum",
      { maxExpiry: "P1Y" },
      ["rotationPolicy/expiresIn", /beyond the maximum expiry of 1 year/],
    ],
    [
      "a maximum expiry of a week",
      {
        maxExpiry: "P7D",
        rotationPolicy: { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1Y" }] },
      },
      ["maxExpiry", /28 days to 10 years/],
    ],
    ["a maximum expiry of 20 years", { maxExpiry: "P20Y" }, ["maxExpiry", /28 days to 10 years/]],
    ["not a duration", { maxExpiry: "two years" }, ["maxExpiry", /ISO 8601 duration/]],
    [
      "the owner tag asked of the requester",
      { tags: [{ name: "owner" }], namingRule: "k-{nn}" },
      ["tags/0/name", /sets the owner tag itself/],
    ],
    [
      "a tag listed twice",
      { tags: [{ name: "app" }, { name: "app" }] },
      ["tags/1/name", /listed twice/],
    ],
    [
      "a tag value that is not a name part",
      { tags: [{ name: "environment", values: ["Prod!"] }, { name: "app" }] },
      ["tags/0/values/0", /lower-case/],
    ],
    [
      "a rule without {nn}",
      { namingRule: "{group}-{app}-{environment}" },
      ["namingRule", /holds \{nn\}/],
    ],
    [
      "a rule with an unknown placeholder",
      { namingRule: "{group}-{team}-{nn}" },
      ["namingRule", /\{team\} is neither/],
    ],
    [
      "a rule with upper-case text",
      { namingRule: "Keys-{nn}" },
      ["namingRule", /lower-case letters/],
    ],
    [
      "a placeholder used twice",
      { namingRule: "{app}-{app}-{nn}" },
      ["namingRule", /each placeholder once/],
    ],
    ["an HSM listed twice", { hsms: ["keyward-weu", "keyward-weu"] }, ["hsms", /listed twice/]],
    ["six approvals", { approvals: 6 }, ["approvals", /./]],
    ["an unknown field", { owner: "x" } as never, ["", /owner/]],
  ])("%s", (_, change, expected) => {
    const found = problem(change);
    if (expected === null) expect(found).toBeNull();
    else {
      expect(found?.[0]).toBe(expected[0]);
      expect(found?.[1]).toMatch(expected[1]);
    }
  });

  it("accepts every demo template", () => {
    for (const template of DEMO_TEMPLATES)
      expect(keyTemplate.safeParse(template).error?.issues).toBeUndefined();
  });

  it("caps expiry by the calendar: P2Y from 29 February is 28 February two years on", () => {
    const template = keyTemplate.parse(BASE);
    expect(new Date(latestExpiry(template, Date.UTC(2028, 1, 29))).toISOString()).toBe(
      "2030-02-28T00:00:00.000Z",
    );
  });

  it("says a template in words, and what a change changes", () => {
    const template = keyTemplate.parse(BASE);
    expect(Object.fromEntries(templateTerms(template))).toMatchObject({
      Key: "RSA-HSM 3072",
      "Longest expiry": "2 years",
      Approvals: "1 approval",
      "Time-limited grants": "1 approval",
      Tags: "environment (dev | test | prod), app (free)",
    });
    expect(templateChangeInWords(template, null)[0]).toBe("create key template storage-cmk");
    expect(templateChangeInWords({ ...template, approvals: 0 }, template)).toEqual([
      "change key template storage-cmk",
      "Approvals: 1 approval → no approval (executes at once)",
      "Time-limited grants: 1 approval → no approval (executes at once)",
    ]);
    expect(templateChangeInWords(template, template)).toEqual([
      "key template storage-cmk: nothing changes",
    ]);
  });
});
