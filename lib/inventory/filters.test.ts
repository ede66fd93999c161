import { describe, expect, it } from "vitest";

import {
  filtersToQuery,
  keyFiltersSchema,
  parseTagFilter,
  readKeyFilters,
} from "@/lib/inventory/filters";

describe("readKeyFilters", () => {
  it("applies defaults", () => {
    expect(readKeyFilters({})).toEqual({ sort: "name", dir: "asc", page: 1, pageSize: 25 });
  });

  it.each([
    [
      { type: "RSA", size: "3072", expiry: "30d" },
      { type: "RSA", size: "3072", expiry: "30d" },
    ],
    [{ type: "DSA" }, {}],
    [{ size: "huge" }, {}],
    [{ page: "0" }, { page: 1 }],
    [
      { page: "3", pageSize: "100" },
      { page: 3, pageSize: 100 },
    ],
    [{ pageSize: "1000" }, { pageSize: 25 }],
    [{ q: "  pay  " }, { q: "pay" }],
    [{ q: "" }, {}],
    [
      { sort: "expires", dir: "desc" },
      { sort: "expires", dir: "desc" },
    ],
    [{ sort: "password" }, { sort: "name" }],
    [{ hsm: ["keyward-weu", "keyward-neu"] }, { hsm: "keyward-weu" }],
  ])("reads %j, dropping what is invalid", (params, expected) => {
    expect(readKeyFilters(params)).toMatchObject(expected);
    const filters = readKeyFilters(params);
    for (const key of ["type", "size", "expiry", "hsm", "q"] as const)
      if (!(key in expected)) expect(filters[key]).toBeUndefined();
  });
});

describe("keyFiltersSchema (API)", () => {
  it("reports what is wrong instead of dropping it", () => {
    const result = keyFiltersSchema.safeParse({ type: "DSA", pageSize: "7" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(["pageSize", "type"]);
  });
});

describe("parseTagFilter", () => {
  it.each([
    [undefined, undefined],
    ["env", { name: "env" }],
    ["env=prod", { name: "env", value: "prod" }],
    ["note=a=b", { name: "note", value: "a=b" }],
  ])("%j", (input, expected) => {
    expect(parseTagFilter(input)).toEqual(expected);
  });
});

describe("filtersToQuery", () => {
  it("leaves defaults out and applies changes", () => {
    const filters = readKeyFilters({ type: "EC", page: "2" });
    expect(filtersToQuery(filters)).toBe("?type=EC&page=2");
    expect(filtersToQuery(filters, { page: 1, sort: "expires" })).toBe("?type=EC&sort=expires");
    expect(filtersToQuery(readKeyFilters({}))).toBe("");
  });
});
