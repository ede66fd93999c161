import { describe, expect, it } from "vitest";

import { readRunFilters } from "@/lib/backup/run-filters";

const HSMS = ["contoso-prod", "contoso-dev"];

describe("readRunFilters", () => {
  it.each([
    [{}, {}],
    [
      { hsm: "contoso-dev", outcome: "failed" },
      { hsm: "contoso-dev", outcome: "failed" },
    ],
    [{ hsm: "elsewhere", outcome: "exploded" }, {}],
    [{ hsm: ["contoso-dev", "contoso-prod"] }, {}],
  ])("reads %j", (params, filters) => {
    expect(readRunFilters(params, HSMS)).toEqual({
      hsm: undefined,
      outcome: undefined,
      ...filters,
    });
  });
});
