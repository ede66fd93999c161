import { describe, expect, it } from "vitest";

import {
  checkpointBlobName,
  checkpointSeqPrefix,
  encodeCheckpointPayload,
  parseCheckpointPayload,
  seqOfBlobName,
} from "@/lib/audit/checkpoint-format";

const HASH = "ab".repeat(32);
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("checkpoint blob names", () => {
  it("pads the seq and writes the time in basic ISO 8601", () => {
    expect(checkpointBlobName(42, Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe(
      "audit-checkpoints/0000000000000042-20260102T030405.006Z.jws",
    );
  });

  it("list in chain order, then in time order for one seq", () => {
    const names = [
      checkpointBlobName(10, Date.UTC(2026, 0, 1)),
      checkpointBlobName(9, Date.UTC(2027, 0, 1)),
      checkpointBlobName(100, Date.UTC(2025, 0, 1)),
      checkpointBlobName(10, Date.UTC(2025, 0, 1)),
    ];
    expect([...names].sort().map(seqOfBlobName)).toEqual([9, 10, 10, 100]);
    expect([...names].sort()[1]).toContain("-20250101T");
  });

  it("share one prefix per seq, which no other seq starts with", () => {
    expect(checkpointBlobName(7, 0).startsWith(checkpointSeqPrefix(7))).toBe(true);
    expect(checkpointBlobName(70, 0).startsWith(checkpointSeqPrefix(7))).toBe(false);
  });

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1])("refuse seq %s", (seq) => {
    expect(() => checkpointSeqPrefix(seq)).toThrow(RangeError);
  });

  it.each([
    ["audit-checkpoints/0000000000000042-20260102T030405.006Z.jws", 42],
    ["audit-checkpoints/42-20260102T030405.006Z.jws", null],
    ["audit-checkpoints/0000000000000042.jws", null],
    ["other/0000000000000042-20260102T030405.006Z.jws", null],
  ])("read the seq of %s", (name, seq) => {
    expect(seqOfBlobName(name)).toBe(seq);
  });
});

describe("checkpoint payloads", () => {
  it("round-trip", () => {
    const payload = { seq: 3, hash: HASH, at: Date.UTC(2026, 4, 1, 12) };
    expect(parseCheckpointPayload(encodeCheckpointPayload(payload))).toEqual(payload);
    expect(new TextDecoder().decode(encodeCheckpointPayload(payload))).toBe(
      `{"seq":3,"hash":"${HASH}","at":"2026-05-01T12:00:00.000Z"}`,
    );
  });

  it.each([
    ["not JSON", new TextEncoder().encode("{"), "not JSON"],
    ["invalid UTF-8", new Uint8Array([0xff, 0xfe]), "not JSON"],
    ["a missing hash", bytes({ seq: 1, at: "2026-01-01T00:00:00Z" }), "not a checkpoint"],
    [
      "an upper-case hash",
      bytes({ seq: 1, hash: HASH.toUpperCase(), at: "2026-01-01T00:00:00Z" }),
      "hex",
    ],
    ["seq 0", bytes({ seq: 0, hash: HASH, at: "2026-01-01T00:00:00Z" }), "not a checkpoint"],
    [
      "a seq as text",
      bytes({ seq: "1", hash: HASH, at: "2026-01-01T00:00:00Z" }),
      "not a checkpoint",
    ],
    ["a bad time", bytes({ seq: 1, hash: HASH, at: "yesterday" }), "not a checkpoint"],
    [
      "an extra member",
      bytes({ seq: 1, hash: HASH, at: "2026-01-01T00:00:00Z", x: 1 }),
      "not a checkpoint",
    ],
  ])("refuse %s", (_name, input, reason) => {
    expect(() => parseCheckpointPayload(input)).toThrow(reason);
  });
});
