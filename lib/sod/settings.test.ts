import { describe, expect, it } from "vitest";

import { DEFAULT_SETTINGS } from "@/lib/sod/engine";
import { ruleSettingChange, ruleTitle, settingsFrom } from "@/lib/sod/settings";

const DEFAULTS = { maxAdministrators: 3 };

describe("settingsFrom", () => {
  it("is the defaults, with the configured maximum, when nothing is stored", () => {
    expect(settingsFrom([], DEFAULTS)).toEqual({
      rules: DEFAULT_SETTINGS.rules,
      params: { ...DEFAULT_SETTINGS.params, maxAdministrators: 3 },
    });
  });

  it.each([
    [
      "a rule switched off and re-graded",
      { ruleId: "several-roles", enabled: false, severity: "high", params: null },
      (s: ReturnType<typeof settingsFrom>) =>
        expect(s.rules["several-roles"]).toEqual({ enabled: false, severity: "high" }),
    ],
    [
      "the administrator maximum from its rule's row",
      {
        ruleId: "administrator-count",
        enabled: true,
        severity: "medium",
        params: '{"maxAdministrators":5}',
      },
      (s: ReturnType<typeof settingsFrom>) => expect(s.params.maxAdministrators).toBe(5),
    ],
    [
      "an unknown severity keeping the default grade",
      { ruleId: "several-roles", enabled: true, severity: "catastrophic", params: null },
      (s: ReturnType<typeof settingsFrom>) =>
        expect(s.rules["several-roles"].severity).toBe(
          DEFAULT_SETTINGS.rules["several-roles"].severity,
        ),
    ],
    [
      "a row naming no rule ignored",
      { ruleId: "retired-rule", enabled: false, severity: "low", params: null },
      (s: ReturnType<typeof settingsFrom>) => expect(s.rules).toEqual(DEFAULT_SETTINGS.rules),
    ],
  ])("applies %s", (_name, row, check) => {
    check(settingsFrom([row], DEFAULTS));
  });
});

describe("ruleSettingChange", () => {
  const current = settingsFrom([], DEFAULTS);

  it("records before and after for a rule without parameters", () => {
    expect(
      ruleSettingChange(current, "manage-and-use", { enabled: false, severity: "low" }),
    ).toEqual({
      before: DEFAULT_SETTINGS.rules["manage-and-use"],
      after: { enabled: false, severity: "low" },
    });
  });

  it("carries the administrator maximum, kept when the input leaves it out", () => {
    const rule = DEFAULT_SETTINGS.rules["administrator-count"];
    expect(ruleSettingChange(current, "administrator-count", { ...rule })).toEqual({
      before: { ...rule, maxAdministrators: 3 },
      after: { ...rule, maxAdministrators: 3 },
    });
    expect(
      ruleSettingChange(current, "administrator-count", { ...rule, maxAdministrators: 6 }).after,
    ).toEqual({ ...rule, maxAdministrators: 6 });
  });
});

describe("ruleTitle", () => {
  it("names a rule by its title, and anything else by itself", () => {
    expect(ruleTitle("manage-and-use")).not.toBe("manage-and-use");
    expect(ruleTitle("retired-rule")).toBe("retired-rule");
  });
});
