import { describe, expect, it } from "vitest";

import { createFeedSchema, suggestFeedName } from "@/lib/calendar/feed-name";

describe("createFeedSchema", () => {
  it.each([
    [{ name: "Outlook – work laptop" }, "Outlook – work laptop"],
    [{ name: "  Phone  " }, "Phone"],
    [{ name: "x".repeat(80) }, "x".repeat(80)],
  ])("accepts %j as %s", (body, name) => {
    expect(createFeedSchema.parse(body)).toEqual({ name });
  });

  it.each([
    [{}, "Give the feed a name."],
    [{ name: "" }, "Give the feed a name."],
    [{ name: "   " }, "Give the feed a name."],
    [{ name: 42 }, "Give the feed a name."],
    [{ name: "x".repeat(81) }, "A feed name has at most 80 characters."],
    [{ name: "line\nbreak" }, "A feed name cannot contain control characters."],
  ])("refuses %j: %s", (body, message) => {
    const result = createFeedSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });
});

describe("suggestFeedName", () => {
  it.each([
    [[], "Outlook – work laptop"],
    [["Phone"], "Outlook – work laptop"],
    [["Outlook – work laptop"], "Outlook – work laptop (2)"],
    [["outlook – WORK laptop", "Outlook – work laptop (2)"], "Outlook – work laptop (3)"],
    [["Outlook – work laptop (2)"], "Outlook – work laptop"],
  ])("with %j taken offers %s", (taken, expected) => {
    expect(suggestFeedName(taken)).toBe(expected);
  });
});
