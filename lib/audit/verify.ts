import { GENESIS_HASH } from "@/lib/audit/chain";

/*
 * Verification of the chain, pure and streaming: the service feeds events in `seq` order and the
 * verifier keeps only the previous link, the checkpoints and the first problems found, so that a
 * million events verify in flat memory. Each problem names the first `seq` it concerns.
 */

export type ProblemKind =
  | "hash-mismatch"
  | "broken-link"
  | "gap"
  | "missing-tail"
  | "head-mismatch"
  | "checkpoint-mismatch"
  | "checkpoint-signature";

export interface ChainProblem {
  kind: ProblemKind;
  seq: number;
  message: string;
}

/** A signed checkpoint as read from outside the database, with its signature already checked. */
export interface CheckpointClaim {
  name: string;
  seq: number;
  hash: string;
  at: number;
  signatureValid: boolean;
  /** Why the signature did not verify (absent when it did). */
  signatureError?: string;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  head: { seq: number; hash: string };
  checkpoints: number;
  lastCheckpoint: { seq: number; at: number } | null;
  problems: ChainProblem[];
  /** Problems found beyond the listed ones. */
  moreProblems: number;
}

/** One row as the verifier needs it: its links, its stored hash and the hash of its content. */
export interface ChainLinkView {
  seq: number;
  prevHash: string;
  hash: string;
  /** The hash recomputed from the row's content (eventHash or storedEventHash). */
  contentHash: string;
}

/** More problems than this are counted, not listed: the first ones say where to look. */
export const MAX_LISTED_PROBLEMS = 100;

export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private lastSeq = 0;
  private count = 0;
  private readonly problems: ChainProblem[] = [];
  private unlisted = 0;
  private readonly pending = new Map<number, CheckpointClaim[]>();

  constructor(private readonly checkpoints: readonly CheckpointClaim[]) {
    for (const checkpoint of checkpoints) {
      if (!checkpoint.signatureValid) {
        this.report(
          "checkpoint-signature",
          checkpoint.seq,
          `checkpoint ${checkpoint.name} (seq ${checkpoint.seq}) has a bad signature${checkpoint.signatureError ? `: ${checkpoint.signatureError}` : ""}; it was not made by the audit signing key`,
        );
        continue;
      }
      const atSeq = this.pending.get(checkpoint.seq) ?? [];
      atSeq.push(checkpoint);
      this.pending.set(checkpoint.seq, atSeq);
    }
  }

  push(event: ChainLinkView): void {
    this.count += 1;
    if (event.seq !== this.expectedSeq) {
      const missing = event.seq - this.expectedSeq;
      this.report(
        "gap",
        this.expectedSeq,
        missing === 1
          ? `event ${this.expectedSeq} is missing (the next event is ${event.seq})`
          : `events ${this.expectedSeq} to ${event.seq - 1} are missing`,
      );
    } else if (event.prevHash !== this.previousHash) {
      this.report(
        "broken-link",
        event.seq,
        `event ${event.seq} does not link to event ${event.seq - 1}: its prev_hash is not that event's hash (event ${event.seq - 1} was changed, replaced or removed)`,
      );
    }
    if (event.contentHash !== event.hash)
      this.report(
        "hash-mismatch",
        event.seq,
        `event ${event.seq} was altered: its content no longer hashes to its stored hash`,
      );
    for (const checkpoint of this.pending.get(event.seq) ?? [])
      if (checkpoint.hash !== event.hash)
        this.report(
          "checkpoint-mismatch",
          event.seq,
          `event ${event.seq}'s hash differs from the one checkpoint ${checkpoint.name} signed: the chain was rewritten up to here`,
        );
    this.pending.delete(event.seq);
    this.previousHash = event.hash;
    this.lastSeq = event.seq;
    this.expectedSeq = event.seq + 1;
  }

  /** Closes the walk; `head` is the database's head row, checked against the last event. */
  finish(head: { seq: number; hash: string } | null): ChainVerification {
    for (const [seq, claims] of [...this.pending].sort(([a], [b]) => a - b)) {
      const claim = claims[0]!;
      if (seq > this.lastSeq)
        this.report(
          "missing-tail",
          this.lastSeq + 1,
          `the chain ends at event ${this.lastSeq}, but checkpoint ${claim.name} signed event ${seq}: events ${this.lastSeq + 1} to ${seq} are gone`,
        );
      else
        this.report(
          "gap",
          seq,
          `event ${seq}, signed by checkpoint ${claim.name}, is not in the database`,
        );
    }
    if (head && (head.seq !== this.lastSeq || head.hash !== this.previousHash))
      this.report(
        "head-mismatch",
        Math.min(head.seq, this.lastSeq) + 1,
        `the head row says event ${head.seq}, but the last event is ${this.lastSeq}`,
      );
    const valid = this.checkpoints.filter((c) => c.signatureValid);
    const last = valid.reduce<CheckpointClaim | null>(
      (latest, c) =>
        latest === null || c.seq > latest.seq || (c.seq === latest.seq && c.at > latest.at)
          ? c
          : latest,
      null,
    );
    return {
      ok: this.problems.length === 0,
      events: this.count,
      head: { seq: this.lastSeq, hash: this.previousHash },
      checkpoints: this.checkpoints.length,
      lastCheckpoint: last ? { seq: last.seq, at: last.at } : null,
      problems: this.problems,
      moreProblems: this.unlisted,
    };
  }

  private report(kind: ProblemKind, seq: number, message: string): void {
    if (this.problems.length >= MAX_LISTED_PROBLEMS) this.unlisted += 1;
    else this.problems.push({ kind, seq, message });
  }
}
