import { describe, expect, it } from "vitest";

import { fieldByMember, requestFieldOf } from "@/lib/requests/field-errors";

describe("requestFieldOf", () => {
  const fieldOf = requestFieldOf({
    justification: "justification",
    hsm: "hsm",
    item: fieldByMember({ key: "name", size: "type", curve: "type", tags: "tags" }, "name"),
  });

  it.each([
    ["/justification", "justification"],
    ["/hsm", "hsm"],
    ["/items/0/size", "type"],
    ["/items/0/tags/owner", "tags"],
    ["/items/0", "name"],
    ["/items/0/keyOps/2", null],
    ["/items/1/size", null],
    ["/items", null],
    ["/kind", null],
    ["/items/00/size", null],
  ])("%s → %s", (pointer, expected) => expect(fieldOf(pointer)).toBe(expected));

  it("without an HSM field, /hsm goes to the form", () => {
    const withoutHsm = requestFieldOf({ justification: "j", item: () => null });
    expect(withoutHsm("/hsm")).toBeNull();
  });
});

describe("fieldByMember", () => {
  it.each([
    ["policy/lifetimeActions/0/timeAfterCreate", "every"],
    ["policy", "every"],
    ["", null],
    ["other", null],
  ])("%s → %s", (path, expected) => {
    expect(fieldByMember({ policy: "every" })(path)).toBe(expected);
  });
});
