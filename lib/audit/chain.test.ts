import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";

import {
  chainLink,
  eventHash,
  GENESIS_HASH,
  hashedDocument,
  storedEventHash,
} from "@/lib/audit/chain";
import { toRow } from "@/lib/audit/record";
import type { AuditEventInput } from "@/lib/audit/types";

const AT = Date.UTC(2026, 11, 2, 9, 30);

function input(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    at: AT,
    actor: { type: "user", id: "0c7e4c2a-1b9d-4f43-9f0f-5b4a1f0d2c11", name: "Kim Admin" },
    action: "sod.rule.update",
    target: { rule: "administrator-count" },
    outcome: "succeeded",
    detail: { before: { enabled: true }, after: { enabled: false } },
    requestId: "req-1",
    ...overrides,
  };
}

describe("eventHash", () => {
  it("is SHA-256 over the RFC 8785 form of the columns and prev_hash", () => {
    const event = { ...input({ detail: {}, target: {} }), seq: 1, prevHash: GENESIS_HASH };
    const canonical =
      `{"action":"sod.rule.update","actor":{"id":"0c7e4c2a-1b9d-4f43-9f0f-5b4a1f0d2c11","name":"Kim Admin","type":"user"},` +
      `"at":"2026-12-02T09:30:00.000Z","detail":{},"outcome":"succeeded","prev_hash":"${GENESIS_HASH}",` +
      `"request_id":"req-1","seq":1,"target":{}}`;
    expect(eventHash(event)).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("does not depend on the order of members", () => {
    const a = input({ detail: { x: 1, y: { b: 2, a: [3, { d: 4, c: 5 }] } } });
    const b = input({ detail: { y: { a: [3, { c: 5, d: 4 }], b: 2 }, x: 1 } });
    expect(eventHash({ ...a, seq: 7, prevHash: "ab" })).toBe(
      eventHash({ ...b, seq: 7, prevHash: "ab" }),
    );
  });

  it.each([
    ["é composed", "\u00e9"],
    ["e + combining accent", "e\u0301"],
    ["emoji", "🔑"],
    ["CJK", "鍵"],
    ["control character", "\u0007"],
  ])("hashes unicode text as its exact code points (%s)", (_name, text) => {
    const hash = eventHash({ ...input({ detail: { text } }), seq: 1, prevHash: GENESIS_HASH });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash({ ...input({ detail: { text } }), seq: 1, prevHash: GENESIS_HASH })).toBe(
      hash,
    );
  });

  it("tells apart texts that differ only in normalisation", () => {
    const composed = eventHash({ ...input({ detail: { n: "\u00e9" } }), seq: 1, prevHash: "" });
    const decomposed = eventHash({ ...input({ detail: { n: "e\u0301" } }), seq: 1, prevHash: "" });
    expect(composed).not.toBe(decomposed);
  });

  it.each<[string, Partial<AuditEventInput> | { seq: number } | { prevHash: string }]>([
    ["seq", { seq: 2 }],
    ["at", { at: AT + 1 }],
    ["actor", { actor: { type: "user", id: "other", name: "Kim Admin" } }],
    ["action", { action: "sod.rule.reset" }],
    ["target", { target: { rule: "owner-tag" } }],
    ["outcome", { outcome: "failed" }],
    ["detail", { detail: {} }],
    ["request id", { requestId: null }],
    ["previous hash", { prevHash: "f".repeat(64) }],
  ])("changes when %s changes", (_name, change) => {
    const base = { ...input(), seq: 1, prevHash: GENESIS_HASH };
    expect(eventHash({ ...base, ...change })).not.toBe(eventHash(base));
  });

  it("names every column but the hash in the hashed document", () => {
    expect(Object.keys(hashedDocument({ ...input(), seq: 1, prevHash: "" })).sort()).toEqual([
      "action",
      "actor",
      "at",
      "detail",
      "outcome",
      "prev_hash",
      "request_id",
      "seq",
      "target",
    ]);
  });
});

describe("chainLink", () => {
  it("numbers from the head and links to its hash", () => {
    const first = chainLink(input(), { seq: 0, hash: GENESIS_HASH });
    const second = chainLink(input({ action: "session.end" }), first);
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(eventHash(second));
  });
});

describe("storedEventHash", () => {
  it.each<[string, Partial<AuditEventInput>]>([
    ["a plain event", {}],
    ["nested detail in any member order", { detail: { z: [1, { b: 2, a: 1 }], a: "x" } }],
    ["unicode and escapes", { detail: { text: 'é\u0301 🔑 "quoted" \\ \n\t\u0007' } }],
    ["numbers JCS writes its own way", { detail: { n: [1e21, 1e-7, 0.1, -0, 100] } }],
    ["no request id", { requestId: null }],
    ["a system actor", { actor: { type: "system", id: "system", name: "checkpoint job" } }],
  ])("equals the hash of the parsed event for %s", (_name, change) => {
    const event = chainLink(input(change), { seq: 41, hash: "a".repeat(64) });
    expect(storedEventHash(toRow(event))).toBe(event.hash);
  });

  it("no longer matches when a JSON column is rewritten in an equivalent form", () => {
    const row = toRow(chainLink(input(), { seq: 0, hash: GENESIS_HASH }));
    const reordered = JSON.stringify(JSON.parse(row.detail), ["before", "after", "enabled"]);
    expect(storedEventHash({ ...row, detail: reordered })).not.toBe(row.hash);
  });
});
