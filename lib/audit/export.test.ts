import { describe, expect, it } from "vitest";

import {
  apiEvent,
  AUDIT_CSV_HEADER,
  csvHeaderLine,
  csvLine,
  jsonLine,
  jsonLineOfRow,
} from "@/lib/audit/export";
import { fromRow, toRow } from "@/lib/audit/record";
import type { AuditEvent } from "@/lib/audit/types";

const EVENT: AuditEvent = {
  seq: 42,
  at: Date.UTC(2026, 11, 2, 9, 30),
  actor: { type: "user", id: "u-1", name: '=HYPERLINK("x")' },
  action: "sod.rule.update",
  target: { rule: "several-roles" },
  outcome: "succeeded",
  detail: { before: { enabled: true }, after: { enabled: false }, note: "a\u2028b" },
  requestId: "req-1",
  prevHash: "a".repeat(64),
  hash: "b".repeat(64),
};

describe("audit export lines", () => {
  it("answers the API's shape with an ISO time", () => {
    expect(apiEvent(EVENT)).toMatchObject({
      seq: 42,
      at: "2026-12-02T09:30:00.000Z",
      requestId: "req-1",
    });
  });

  it("writes a CSV row per event under the header, formulas neutralised", () => {
    expect(csvHeaderLine()).toBe(`${AUDIT_CSV_HEADER.join(",")}\r\n`);
    const line = csvLine(EVENT);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
    expect(line).toContain(`"{""rule"":""several-roles""}"`);
  });

  it("writes one JSON object per line that parses back to the API's shape", () => {
    const line = jsonLine(EVENT);
    expect(line.split("\n")).toHaveLength(2);
    expect(JSON.parse(line)).toEqual(apiEvent(EVENT));
  });

  it.each([
    ["a user's change", EVENT],
    [
      "a system event without a request, with quotes, unicode and numbers in its detail",
      {
        ...EVENT,
        actor: { type: "system", id: "system", name: 'job "expiry" ✓' },
        target: { hsm: "weu", key: "k\\1" },
        outcome: "failed",
        detail: { n: 1.5, big: 1e21, list: [1, "two", null], nested: { z: 1, a: "é" } },
        requestId: null,
      },
    ],
  ] as [string, AuditEvent][])(
    "splices the same JSON line from the stored row for %s",
    (_what, event) => {
      const row = toRow(event);
      expect(jsonLineOfRow(row)).toBe(jsonLine(fromRow(row)));
    },
  );
});
