import { describe, expect, it } from "vitest";

import { keyCreateItem } from "@/lib/requests/item-schemas";
import {
  KEY_OPERATIONS,
  KEY_TYPES,
  newKeyItem,
  propertyChanges,
  rowsFromTags,
  tagsFromRows,
  type KeyProperties,
} from "@/lib/requests/key-drafts";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("tagsFromRows", () => {
  it.each([
    [
      "rows become tags; blank rows are skipped",
      [
        { name: "app", value: "pay" },
        { name: "", value: "" },
      ],
      {},
      { tags: { app: "pay" }, errors: null },
    ],
    [
      "a value may be empty",
      [{ name: " env ", value: "" }],
      {},
      { tags: { env: "" }, errors: null },
    ],
    [
      "the fixed tags join, unless empty",
      [{ name: "app", value: "x" }],
      { owner: "g1", team: "" },
      { tags: { app: "x", owner: "g1" }, errors: null },
    ],
    [
      "a value without a name",
      [{ name: "", value: "x" }],
      {},
      { tags: null, errors: [{ row: 0, message: "A tag needs a name." }] },
    ],
    [
      "the same name twice",
      [
        { name: "a", value: "1" },
        { name: "a", value: "2" },
      ],
      {},
      { tags: null, errors: [{ row: 1, message: 'The tag "a" is already set in another row.' }] },
    ],
    [
      "the owner has its own field",
      [{ name: "owner", value: "g" }],
      {},
      { tags: null, errors: [{ row: 0, message: 'Set "owner" with its own field above.' }] },
    ],
    [
      "a name over 256 characters",
      [{ name: "n".repeat(257), value: "" }],
      {},
      { tags: null, errors: [{ row: 0, message: "Names and values are at most 256 characters." }] },
    ],
    [
      "at most 15 tags, the fixed ones counted",
      Array.from({ length: 15 }, (_, i) => ({ name: `t${i}`, value: "" })),
      { owner: "g" },
      { tags: null, errors: [{ row: null, message: "A key holds at most 15 tags." }] },
    ],
  ])("%s", (_name, rows, fixed, expected) => expect(tagsFromRows(rows, fixed)).toEqual(expected));

  it("rowsFromTags leaves out the tags with their own field", () => {
    expect(rowsFromTags({ owner: "g", app: "pay", env: "prod" }, ["owner"])).toEqual([
      { name: "app", value: "pay" },
      { name: "env", value: "prod" },
    ]);
  });
});

describe("key types", () => {
  it("every type makes a key.create item the API accepts, with its default operations", () => {
    for (const type of KEY_TYPES) {
      const result = newKeyItem(
        { name: "k1", type: type.id, keyOps: KEY_OPERATIONS[type.kty], tags: {}, expires: "" },
        NOW,
      );
      expect(result.errors, type.id).toBeNull();
      expect(keyCreateItem.safeParse(result.item).success, type.id).toBe(true);
    }
  });
});

describe("newKeyItem", () => {
  const draft = {
    name: "payments-new-01",
    type: "EC-P-384",
    keyOps: ["sign", "verify"],
    tags: { owner: "g" },
    expires: "2027-01-01T00:00",
  };
  it.each([
    [
      "a whole draft",
      {},
      {
        item: {
          key: "payments-new-01",
          kty: "EC",
          curve: "P-384",
          keyOps: ["sign", "verify"],
          tags: { owner: "g" },
          expiresOn: "2027-01-01T00:00:00.000Z",
        },
        errors: null,
      },
    ],
    [
      "AES has a size",
      { type: "AES-192", keyOps: ["wrapKey"], tags: {}, expires: "" },
      {
        item: { key: "payments-new-01", kty: "oct", size: 192, keyOps: ["wrapKey"] },
        errors: null,
      },
    ],
    [
      "a name the HSM refuses",
      { name: "bad_name" },
      { item: null, errors: { name: "The name must be 1–127 letters, digits or hyphens." } },
    ],
    [
      "no name",
      { name: "  " },
      { item: null, errors: { name: "The name must be 1–127 letters, digits or hyphens." } },
    ],
    [
      "an unknown type",
      { type: "RSA-1024" },
      { item: null, errors: { type: "Choose a key type." } },
    ],
    [
      "no operation",
      { keyOps: [] },
      { item: null, errors: { keyOps: "Allow at least one operation." } },
    ],
    [
      "an expiry in the past",
      { expires: "2026-01-01T00:00" },
      { item: null, errors: { expires: "The expiry must be in the future." } },
    ],
    [
      "an unreadable expiry",
      { expires: "soon" },
      { item: null, errors: { expires: "Enter a date and time (UTC)." } },
    ],
  ])("%s", (_name, change, expected) => {
    expect(newKeyItem({ ...draft, ...change }, NOW)).toEqual(expected);
  });
});

describe("propertyChanges", () => {
  const current: KeyProperties = {
    enabled: true,
    notBefore: null,
    expiresAt: Date.parse("2027-01-31T09:30:45Z"),
    tags: { app: "pay", owner: "g" },
  };
  const unchanged = {
    enabled: true,
    notBefore: "",
    expires: "2027-01-31T09:30",
    tags: { owner: "g", app: "pay" },
  };
  it.each([
    ["nothing changed (the expiry's seconds are not shown)", {}, { changes: {}, errors: null }],
    ["disabled", { enabled: false }, { changes: { enabled: false }, errors: null }],
    [
      "a new expiry",
      { expires: "2027-06-30T00:00" },
      { changes: { expiresOn: "2027-06-30T00:00:00.000Z" }, errors: null },
    ],
    ["the expiry cleared", { expires: "" }, { changes: { expiresOn: null }, errors: null }],
    [
      "a start of validity",
      { notBefore: "2026-04-01T00:00" },
      { changes: { notBefore: "2026-04-01T00:00:00.000Z" }, errors: null },
    ],
    [
      "tags go whole",
      { tags: { app: "pay" } },
      { changes: { tags: { app: "pay" } }, errors: null },
    ],
    [
      "a date that is not one",
      { notBefore: "2026-02-30T00:00" },
      { changes: null, errors: { notBefore: "Enter a date and time (UTC)." } },
    ],
    [
      "valid from after the expiry",
      { notBefore: "2027-02-01T00:00" },
      { changes: null, errors: { expires: "The expiry must come after the start of validity." } },
    ],
  ])("%s", (_name, change, expected) => {
    expect(propertyChanges(current, { ...unchanged, ...change })).toEqual(expected);
  });
});
