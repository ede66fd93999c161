import { describe, expect, it } from "vitest";

import { chainLink, eventHash, GENESIS_HASH } from "@/lib/audit/chain";
import type { AuditEvent } from "@/lib/audit/types";
import { ChainVerifier, MAX_LISTED_PROBLEMS, type CheckpointClaim } from "@/lib/audit/verify";

const T0 = Date.UTC(2026, 11, 1);

function chain(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < length; i += 1) {
    const event = chainLink(
      {
        at: T0 + i * 1000,
        actor: { type: "user", id: `user-${i % 3}`, name: `User ${i % 3}` },
        action: i % 2 ? "calendar.feed.create" : "sod.rule.update",
        target: { n: i },
        outcome: "succeeded",
        detail: { i },
        requestId: `req-${i}`,
      },
      head,
    );
    events.push(event);
    head = event;
  }
  return events;
}

function checkpoint(event: AuditEvent, overrides: Partial<CheckpointClaim> = {}): CheckpointClaim {
  return {
    name: `audit-checkpoints/${event.seq}.jws`,
    seq: event.seq,
    hash: event.hash,
    at: event.at + 500,
    signatureValid: true,
    ...overrides,
  };
}

function verify(events: AuditEvent[], checkpoints: CheckpointClaim[] = [], head = events.at(-1)) {
  const verifier = new ChainVerifier(checkpoints);
  for (const event of events) verifier.push({ ...event, contentHash: eventHash(event) });
  return verifier.finish(
    head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS_HASH },
  );
}

function firstProblem(result: ReturnType<typeof verify>) {
  return result.problems.map(({ kind, seq }) => `${kind}@${seq}`);
}

describe("ChainVerifier", () => {
  it("accepts an intact chain with its checkpoints", () => {
    const events = chain(10);
    const result = verify(events, [checkpoint(events[4]!), checkpoint(events[9]!)]);
    expect(result).toMatchObject({
      ok: true,
      events: 10,
      head: { seq: 10, hash: events[9]!.hash },
      checkpoints: 2,
      lastCheckpoint: { seq: 10 },
      problems: [],
      moreProblems: 0,
    });
  });

  it("accepts an empty log", () => {
    expect(verify([])).toMatchObject({ ok: true, events: 0, head: { seq: 0, hash: GENESIS_HASH } });
  });

  it("finds an altered row, naming its seq", () => {
    const events = chain(10);
    events[5] = { ...events[5]!, detail: { i: 999 } };
    expect(firstProblem(verify(events))).toEqual(["hash-mismatch@6"]);
  });

  it("finds a row altered with its hash recomputed: the next link breaks", () => {
    const events = chain(10);
    const altered = { ...events[5]!, outcome: "failed" as const };
    events[5] = { ...altered, hash: eventHash(altered) };
    expect(firstProblem(verify(events, [], events[9]))).toEqual(["broken-link@7"]);
  });

  it("finds a deleted row", () => {
    const events = chain(10);
    events.splice(3, 1);
    expect(firstProblem(verify(events))).toEqual(["gap@4"]);
  });

  it("finds several deleted rows as one gap", () => {
    const events = chain(10);
    events.splice(3, 3);
    const result = verify(events);
    expect(firstProblem(result)).toEqual(["gap@4"]);
    expect(result.problems[0]!.message).toBe("events 4 to 6 are missing");
  });

  it("finds a swapped pair, naming the first of the two", () => {
    const events = chain(10);
    const [a, b] = [events[3]!, events[4]!];
    events[3] = { ...b, seq: a.seq };
    events[4] = { ...a, seq: b.seq };
    expect(firstProblem(verify(events))[0]).toBe("broken-link@4");
    expect(firstProblem(verify(events))).toContain("hash-mismatch@4");
  });

  it("finds a truncated tail against the last checkpoint", () => {
    const events = chain(10);
    const kept = events.slice(0, 7);
    const result = verify(kept, [checkpoint(events[9]!)], kept.at(-1));
    expect(firstProblem(result)).toEqual(["missing-tail@8"]);
    expect(result.problems[0]!.message).toContain("events 8 to 10 are gone");
  });

  it("finds a truncated tail when the head row was left as it was", () => {
    const events = chain(10);
    expect(firstProblem(verify(events.slice(0, 8), [], events[9]))).toEqual(["head-mismatch@9"]);
  });

  it("finds a forged checkpoint", () => {
    const events = chain(10);
    const forged = checkpoint(events[6]!, {
      signatureValid: false,
      signatureError: "signature verification failed",
    });
    const result = verify(events, [checkpoint(events[2]!), forged]);
    expect(firstProblem(result)).toEqual(["checkpoint-signature@7"]);
    expect(result.lastCheckpoint).toEqual({ seq: 3, at: events[2]!.at + 500 });
  });

  it("finds a chain rewritten consistently from an event a checkpoint signed", () => {
    const events = chain(10);
    let head = { seq: 3, hash: events[2]!.hash };
    const rewritten = events.slice(0, 3);
    for (const event of events.slice(3)) {
      const link = chainLink({ ...event, detail: { i: "rewritten" } }, head);
      rewritten.push(link);
      head = link;
    }
    expect(firstProblem(verify(rewritten))).toEqual([]);
    expect(firstProblem(verify(rewritten, [checkpoint(events[5]!)]))).toEqual([
      "checkpoint-mismatch@6",
    ]);
  });

  it("lists the first problems and counts the rest", () => {
    const events = chain(MAX_LISTED_PROBLEMS + 20).map((e) => ({ ...e, detail: {} }));
    const result = verify(events);
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(result.moreProblems).toBe(20);
    expect(result.ok).toBe(false);
  });
});
