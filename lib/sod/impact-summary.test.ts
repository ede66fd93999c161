import { describe, expect, it } from "vitest";

import { impactSummary } from "@/lib/sod/impact-summary";
import type { Finding, Severity } from "@/lib/sod/types";

const finding = (severity: Severity): Finding => ({
  id: `manage-and-use:hsm-a:${severity}`,
  ruleId: "manage-and-use",
  severity,
  hsm: "hsm-a",
  summary: "",
  principals: [],
  roles: [],
  scopes: [],
  keys: { all: false, names: [] },
  assignmentNames: [],
});

describe("impactSummary", () => {
  it.each([
    {
      name: "nothing",
      impact: { added: [], resolved: [], changed: [] },
      words: "No finding changes: it adds, resolves and changes no separation-of-duties finding.",
      criticalAdded: 0,
    },
    {
      name: "one added, not critical",
      impact: { added: [finding("high")], resolved: [], changed: [] },
      words: "It adds 1 finding.",
      criticalAdded: 0,
    },
    {
      name: "critical ones are counted among the added",
      impact: { added: [finding("critical"), finding("low")], resolved: [], changed: [] },
      words: "It adds 2 findings (1 critical).",
      criticalAdded: 1,
    },
    {
      name: "a resolved critical finding is no warning",
      impact: { added: [], resolved: [finding("critical")], changed: [] },
      words: "It resolves 1 finding.",
      criticalAdded: 0,
    },
    {
      name: "all three",
      impact: {
        added: [finding("medium")],
        resolved: [finding("high"), finding("low")],
        changed: [{ before: finding("high"), after: finding("high") }],
      },
      words: "It adds 1 finding, resolves 2 findings, changes 1 finding.",
      criticalAdded: 0,
    },
  ])("$name", ({ impact, words, criticalAdded }) => {
    expect(impactSummary(impact)).toEqual({ words, criticalAdded });
  });
});
