import { describe, expect, it } from "vitest";

import {
  bulkConfirmation,
  bulkPropertiesItems,
  matchingPages,
  matchingRefusal,
  selectionTarget,
  splitRotatable,
  type BulkPropertiesDraft,
  type SelectedKey,
} from "@/lib/requests/bulk-drafts";
import { keyUpdateItem } from "@/lib/requests/item-schemas";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const key = (hsm: string, name: string, policyState: SelectedKey["policyState"] = "rotates") => ({
  hsm,
  name,
  policyState,
});
const many = (count: number) => Array.from({ length: count }, (_, i) => key("weu", `k-${i}`));

describe("selectionTarget", () => {
  it.each([
    [[], null, "Select at least one key."],
    [[key("weu", "a"), key("weu", "b")], "weu", null],
    [[key("weu", "a"), key("neu", "b")], null, /spans neu and weu; a request changes one HSM/],
    [many(500), "weu", null],
    [many(501), null, "A request holds at most 500 keys; 501 are selected."],
  ] as const)("%# → %s", (selected, hsm, problem) => {
    const target = selectionTarget(selected);
    expect(target.hsm).toBe(hsm);
    if (problem === null) expect(target.problem).toBeNull();
    else expect(target.problem).toMatch(problem);
  });
});

describe("matchingRefusal", () => {
  it.each([
    [{ total: 40, hsmFilter: "weu", hsmCount: 2 }, null],
    [{ total: 500, hsmFilter: "weu", hsmCount: 2 }, null],
    [{ total: 40, hsmFilter: undefined, hsmCount: 1 }, null],
    [
      { total: 501, hsmFilter: "weu", hsmCount: 2 },
      "501 keys match; narrow the filter to 500 or fewer to select them all.",
    ],
    [
      { total: 40, hsmFilter: undefined, hsmCount: 2 },
      "Filter by one HSM to select every matching key.",
    ],
  ])("%j → %j", (input, refusal) => expect(matchingRefusal(input)).toBe(refusal));
});

describe("matchingPages", () => {
  it.each([
    [0, []],
    [1, [1]],
    [100, [1]],
    [101, [1, 2]],
    [500, [1, 2, 3, 4, 5]],
  ])("%i keys → pages %j", (total, pages) => expect(matchingPages(total)).toEqual(pages));
});

describe("splitRotatable", () => {
  it("leaves out only the keys known to have no rotation policy", () => {
    const selected = [
      key("weu", "a", "rotates"),
      key("weu", "b", "none"),
      key("weu", "c", "expiry-only"),
      key("weu", "d", "unknown"),
    ];
    const { rotatable, skipped } = splitRotatable(selected);
    expect(rotatable.map((k) => k.name)).toEqual(["a", "c", "d"]);
    expect(skipped.map((k) => k.name)).toEqual(["b"]);
  });
});

describe("bulkConfirmation", () => {
  it.each([
    ["delete", 1, "delete 1 key"],
    ["delete", 12, "delete 12 keys"],
  ])("%s %i", (verb, count, text) => expect(bulkConfirmation(verb, count)).toBe(text));
});

describe("bulkPropertiesItems", () => {
  const draft = (change: Partial<BulkPropertiesDraft>): BulkPropertiesDraft => ({
    enabled: "keep",
    expiry: "keep",
    expires: "",
    ...change,
  });

  it.each([
    [draft({ enabled: "disable" }), { enabled: false }],
    [draft({ enabled: "enable" }), { enabled: true }],
    [draft({ expiry: "never" }), { expiresOn: null }],
    [
      draft({ expiry: "set", expires: "2027-01-31T09:30" }),
      { expiresOn: "2027-01-31T09:30:00.000Z" },
    ],
    [
      draft({ enabled: "enable", expiry: "set", expires: "2027-01-31T09:30" }),
      { enabled: true, expiresOn: "2027-01-31T09:30:00.000Z" },
    ],
  ])("%j files %j for every key, valid key.update items", (input, change) => {
    const result = bulkPropertiesItems(["a", "b"], input, NOW);
    expect(result.items).toEqual([
      { key: "a", ...change },
      { key: "b", ...change },
    ]);
    for (const item of result.items ?? []) expect(keyUpdateItem.safeParse(item).success).toBe(true);
  });

  it.each([
    [draft({}), {}, "Choose what to change: enabled, expiry or both."],
    [draft({ expiry: "set", expires: "" }), { expires: "Enter a date and time (UTC)." }, undefined],
    [
      draft({ expiry: "set", expires: "2027-02-31T10:00" }),
      { expires: "Enter a date and time (UTC)." },
      undefined,
    ],
    [
      draft({ expiry: "set", expires: "2026-03-01T11:00" }),
      { expires: "The expiry must be in the future; a past one disables use." },
      undefined,
    ],
  ])("%j is refused", (input, errors, form) => {
    const result = bulkPropertiesItems(["a"], input, NOW);
    expect(result.items).toBeUndefined();
    expect(result.errors).toEqual(errors);
    expect(result.form).toBe(form);
  });
});
