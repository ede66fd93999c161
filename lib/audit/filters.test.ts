import { describe, expect, it } from "vitest";

import {
  actionsMatching,
  auditExportSchema,
  auditFiltersSchema,
  auditPageSchema,
  containsPattern,
  parseInstant,
  readAuditPage,
  timeRange,
} from "@/lib/audit/filters";
import { readSearchParams } from "@/lib/validation/search-params";

describe("auditPageSchema", () => {
  it.each([
    [{}, {}],
    [{ actor: "  Kim  " }, { actor: "Kim" }],
    [{ actor: "" }, {}],
    [{ action: "sod." }, { action: "sod." }],
    [{ action: "SOD.Rule" }, { action: "sod.rule" }],
    [{ action: "sod.rule.update" }, { action: "sod.rule.update" }],
    [{ outcome: "denied" }, { outcome: "denied" }],
    [
      { from: "2026-12-01", to: "2026-12-02T09:30Z" },
      { from: "2026-12-01", to: "2026-12-02T09:30Z" },
    ],
    [{ q: "50%_off" }, { q: "50%_off" }],
    [
      { before: "1200", limit: "25" },
      { before: 1200, limit: 25 },
    ],
    [{ after: "7" }, { after: 7 }],
  ])("accepts %j", (params, expected) => {
    expect(auditPageSchema.parse(params)).toEqual(expected);
  });

  it.each([
    [{ action: "sod..rule" }, "action"],
    [{ action: "sod rule" }, "action"],
    [{ action: ".sod" }, "action"],
    [{ outcome: "ok" }, "outcome"],
    [{ from: "yesterday" }, "from"],
    [{ from: "2026-02-30" }, "from"],
    [{ to: "2026-12-01T25:00Z" }, "to"],
    [{ before: "-1" }, "before"],
    [{ before: "1.5" }, "before"],
    [{ before: "abc" }, "before"],
    [{ limit: "0" }, "limit"],
    [{ limit: "201" }, "limit"],
    [{ q: "x".repeat(201) }, "q"],
    [{ before: "10", after: "5" }, "after"],
  ])("refuses %j, naming %s", (params, field) => {
    const result = auditPageSchema.safeParse(params);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toContain(field);
  });

  it("reads a page's URL forgivingly, dropping only what is invalid", () => {
    expect(
      readSearchParams(auditFiltersSchema, { outcome: "ok", action: "sod.", q: ["a", "b"] }),
    ).toEqual({ action: "sod.", q: "a" });
  });
});

describe("auditExportSchema", () => {
  it("defaults to CSV and knows JSON lines", () => {
    expect(auditExportSchema.parse({}).format).toBe("csv");
    expect(auditExportSchema.parse({ format: "jsonl" }).format).toBe("jsonl");
    expect(auditExportSchema.safeParse({ format: "xml" }).success).toBe(false);
  });
});

describe("parseInstant and timeRange", () => {
  it.each([
    ["2026-12-01", Date.UTC(2026, 11, 1)],
    ["2026-12-01T09:30", Date.UTC(2026, 11, 1, 9, 30)],
    ["2026-12-01T09:30:15.250Z", Date.UTC(2026, 11, 1, 9, 30, 15, 250)],
    ["2026-12-01T09:30+02:00", Date.UTC(2026, 11, 1, 7, 30)],
    ["2024-02-29", Date.UTC(2024, 1, 29)],
  ])("reads %s as UTC unless it names an offset", (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each(["2026-02-29", "2026-13-01", "2026-04-31"])("refuses the unreal date %s", (text) => {
    expect(parseInstant(text)).toBeNaN();
  });

  it("takes a bare `to` date as the whole day, a date-time as the exact end", () => {
    expect(timeRange({ from: "2026-12-01", to: "2026-12-01" })).toEqual({
      from: Date.UTC(2026, 11, 1),
      to: Date.UTC(2026, 11, 2),
    });
    expect(timeRange({ to: "2026-12-01T12:00Z" })).toEqual({ to: Date.UTC(2026, 11, 1, 12) });
    expect(timeRange({})).toEqual({});
  });
});

describe("containsPattern", () => {
  it.each([
    ["kim", "%kim%"],
    ["50%", "%50\\%%"],
    ["a_b", "%a\\_b%"],
    ["c:\\dir", "%c:\\\\dir%"],
  ])("escapes %s", (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });
});

describe("actionsMatching", () => {
  const known = [
    "calendar.feed.create",
    "sod.rule.update",
    "sod.rules.reset",
    "sod.what-if",
    "sod",
  ];
  it.each([
    ["sod.", ["sod.rule.update", "sod.rules.reset", "sod.what-if"]],
    ["sod", ["sod.rule.update", "sod.rules.reset", "sod.what-if", "sod"]],
    ["sod.rule", ["sod.rule.update"]],
    ["sod.rule.update", ["sod.rule.update"]],
    ["calendar.feed.", ["calendar.feed.create"]],
    ["session.", []],
  ])("%s selects %j", (filter, expected) => {
    expect(actionsMatching(filter, known)).toEqual(expected);
  });
});

describe("readAuditPage", () => {
  it("drops what is invalid and keeps one cursor, before first", () => {
    expect(readAuditPage({ outcome: "ok", before: "10", after: "5", limit: "20" })).toEqual({
      before: 10,
      limit: 20,
    });
    expect(readAuditPage({ after: "5", action: "sod." })).toEqual({ action: "sod.", after: 5 });
    expect(readAuditPage({ before: "x" })).toEqual({});
  });
});
