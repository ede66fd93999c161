import { describe, expect, it } from "vitest";
import { z } from "zod";

import { optionalParam, readSearchParams, toSearchQuery } from "@/lib/validation/search-params";

const schema = z.object({
  hsm: optionalParam(z.string().regex(/^[a-z-]+$/)),
  kind: optionalParam(z.enum(["rotation", "expiry"])),
  page: z.coerce.number().int().min(1).default(1),
});

describe("readSearchParams", () => {
  it.each([
    ["nothing", {}, { page: 1 }],
    [
      "valid values",
      { hsm: "weu", kind: "expiry", page: "3" },
      { hsm: "weu", kind: "expiry", page: 3 },
    ],
    [
      "the first of repeated values",
      { kind: ["rotation", "expiry"] },
      { kind: "rotation", page: 1 },
    ],
    ["an empty field as absent", { hsm: "", kind: "" }, { page: 1 }],
    [
      "an invalid value dropped, the rest kept",
      { hsm: "WEU!", kind: "expiry" },
      { kind: "expiry", page: 1 },
    ],
    ["an invalid page as the default", { page: "0" }, { page: 1 }],
    ["unknown names ignored", { other: "x" }, { page: 1 }],
  ])("reads %s", (_name, params, expected) => {
    expect(readSearchParams(schema, params)).toEqual(expected);
  });
});

describe("toSearchQuery", () => {
  it.each([
    ["nothing set", {}, {}, ""],
    ["set values in order", { hsm: "weu", kind: "expiry" }, {}, "?hsm=weu&kind=expiry"],
    ["empty and undefined left out", { hsm: "", kind: undefined, q: "a b" }, {}, "?q=a+b"],
    [
      "defaults left out",
      { sort: "name", dir: "desc", page: 1 },
      { sort: "name", page: 1 },
      "?dir=desc",
    ],
    ["a number that differs from the default", { page: 2 }, { page: 1 }, "?page=2"],
  ])("writes %s", (_name, values, defaults, expected) => {
    expect(toSearchQuery(values, defaults)).toBe(expected);
  });
});
