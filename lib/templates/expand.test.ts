import { describe, expect, it } from "vitest";

import {
  expandTemplateItem,
  firstName,
  groupSlug,
  type TemplateItem,
} from "@/lib/templates/expand";
import { keyTemplate } from "@/lib/templates/template";

const GROUP = "3243182d-1727-4605-9abd-29ce37fe0480";
const NOW = Date.UTC(2026, 11, 4);
const template = keyTemplate.parse({
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
});

function expand(
  item: Partial<TemplateItem>,
  taken: string[] = [],
  groupName: string | null = "Payments team",
  hsm = "keyward-weu",
) {
  return expandTemplateItem(
    { template: "storage-cmk", group: GROUP, tags: { app: "shop", environment: "prod" }, ...item },
    {
      template,
      hsm,
      group: { id: GROUP, name: groupName },
      now: NOW,
      taken: (n) => taken.includes(n),
    },
  );
}

describe("a key from a template", () => {
  it("gets everything the template fixes, the owner group and the first free name", () => {
    const result = expand({}, ["payments-shop-prod-01"]);
    expect(result).toEqual({
      ok: true,
      item: {
        key: "payments-shop-prod-02",
        kty: "RSA",
        size: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        expiresOn: "2028-12-04T00:00:00.000Z",
        tags: { app: "shop", environment: "prod", owner: GROUP, template: "storage-cmk" },
        rotationPolicy: template.rotationPolicy,
      },
    });
  });

  it.each<[string, Partial<TemplateItem>, string[], string, RegExp]>([
    [
      "a tag the template needs is missing",
      { tags: { app: "shop" } },
      [],
      "tags/environment",
      /needs the tag environment: one of dev, test, prod/,
    ],
    [
      "a value outside the list",
      { tags: { app: "shop", environment: "staging" } },
      [],
      "tags/environment",
      /one of dev, test, prod, not staging/,
    ],
    [
      "a free value that is no name part",
      { tags: { app: "Shop App", environment: "prod" } },
      [],
      "tags/app",
      /lower-case/,
    ],
    [
      "an owner tag set by hand",
      { tags: { app: "shop", environment: "prod", owner: "someone" } },
      [],
      "tags/owner",
      /group you choose/,
    ],
    [
      "a template tag set by hand",
      { tags: { app: "shop", environment: "prod", template: "x" } },
      [],
      "tags/template",
      /from the template/,
    ],
    [
      "a name outside the rule",
      { name: "my-key" },
      [],
      "name",
      /names keys \{group\}-\{app\}-\{environment\}-\{nn\}, here payments-shop-prod-01/,
    ],
    [
      "a name that is taken",
      { name: "payments-shop-prod-07" },
      ["payments-shop-prod-07"],
      "name",
      /taken on keyward-weu/,
    ],
  ])("is refused when %s", (_, item, taken, path, words) => {
    const result = expand(item, taken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.path.join("/")).toBe(path);
    expect(result.problems[0]!.message).toMatch(words);
  });

  it("takes a name that follows the rule", () => {
    const result = expand({ name: "payments-shop-prod-42" });
    expect(result.ok && result.item.key).toBe("payments-shop-prod-42");
  });

  it("is refused on an HSM the template does not name", () => {
    const result = expand({}, [], "Payments team", "keyward-neu");
    expect(!result.ok && result.problems[0]!.message).toMatch(
      /makes keys in keyward-weu, not in keyward-neu/,
    );
  });

  it("needs a name when the directory does not know the group's", () => {
    expect(expand({}, [], null)).toMatchObject({ ok: false, problems: [{ path: ["group"] }] });
  });

  it("says so when all 99 numbers are taken", () => {
    const taken = Array.from(
      { length: 99 },
      (_, i) => `payments-shop-prod-${String(i + 1).padStart(2, "0")}`,
    );
    expect(!expand({}, taken).ok).toBe(true);
  });

  it.each([
    ["Payments team", "payments"],
    ["Data platform team", "data-platform"],
    ["  R&D / Crypto ", "r-d-crypto"],
    ["Team", "team"],
  ])("names the group %j %j in keys", (name, slug) => {
    expect(groupSlug(name)).toBe(slug);
  });

  it.each<[string | null, Record<string, string>, string]>([
    ["Payments team", { app: "shop", environment: "prod" }, "payments-shop-prod-01"],
    ["Payments team", { app: "shop" }, "payments-shop-{environment}-01"],
    [null, { app: " ", environment: "dev" }, "{group}-{app}-dev-01"],
  ])("previews the first name for %j and %j as %j", (group, tags, expected) => {
    expect(firstName(template.namingRule, group, tags)).toBe(expected);
  });
});
