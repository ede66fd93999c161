import { describe, expect, it } from "vitest";

import { csvBatches, csvCell, toCsv } from "@/lib/format/csv";

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    [42, "42"],
    [true, "true"],
    [null, ""],
    [undefined, ""],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    [" padded ", '" padded "'],
    ['=HYPERLINK("http://evil")', '"\'=HYPERLINK(""http://evil"")"'],
    ["+1+1", "'+1+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    [-2, "-2"],
  ])("%j → %s", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe("toCsv", () => {
  it("writes a header and CRLF-terminated rows", () => {
    expect(
      toCsv(
        ["name", "hsm"],
        [
          ["k1", "weu"],
          ["k,2", null],
        ],
      ),
    ).toBe('name,hsm\r\nk1,weu\r\n"k,2",\r\n');
  });
});

describe("csvBatches", () => {
  const text = async (pieces: AsyncIterable<string[]>) => {
    let out = "";
    for await (const lines of pieces) out += lines.join("");
    return out;
  };

  it.each([
    [
      "several batches",
      [
        [["k1", "weu"]],
        [
          ["k,2", null],
          ["=x", "neu"],
        ],
      ],
    ],
    ["an empty batch among them", [[["k1", "weu"]], [], [["k2", "neu"]]]],
    ["no records", []],
  ])("gives toCsv's bytes for %s", async (_, lists: (string | null)[][][]) => {
    const header = ["name", "hsm"];
    expect(await text(csvBatches(header, lists, (row) => row))).toBe(toCsv(header, lists.flat()));
  });
});
