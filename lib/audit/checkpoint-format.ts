import { z } from "zod";

/*
 * What a checkpoint looks like in storage, pure. One blob per checkpoint under
 * `audit-checkpoints/`, named `<seq, 16 digits>-<UTC time, basic ISO 8601>.jws` so that a plain
 * listing returns them in chain order and all the checkpoints of one head share a prefix. The
 * content is a compact JWS (EdDSA) whose payload is `{"seq","hash","at"}`: the head's seq and
 * hash, and when it was signed.
 */

export const CHECKPOINT_PREFIX = "audit-checkpoints/";
/** The JWS `typ`, so that no other signed document of Keyward's can pass for a checkpoint. */
export const CHECKPOINT_TYP = "keyward-audit-checkpoint+jws";
export const CHECKPOINT_ALG = "EdDSA";
export const CHECKPOINT_CONTENT_TYPE = "application/jose";

const SEQ_DIGITS = 16;
const NAME_PATTERN = /^audit-checkpoints\/(\d{16})-(\d{8}T\d{6}\.\d{3}Z)\.jws$/;

export interface CheckpointPayload {
  seq: number;
  hash: string;
  /** When the checkpoint was signed, epoch ms. */
  at: number;
}

/** The prefix every checkpoint of head `seq` shares (the job looks there before signing). */
export function checkpointSeqPrefix(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad checkpoint seq ${seq}`);
  return `${CHECKPOINT_PREFIX}${String(seq).padStart(SEQ_DIGITS, "0")}-`;
}

export function checkpointBlobName(seq: number, at: number): string {
  const basic = new Date(at).toISOString().replaceAll("-", "").replaceAll(":", "");
  return `${checkpointSeqPrefix(seq)}${basic}.jws`;
}

/** The seq a blob's name states, or null for a name that is not a checkpoint's. */
export function seqOfBlobName(name: string): number | null {
  const match = NAME_PATTERN.exec(name);
  return match ? Number(match[1]) : null;
}

const payloadSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    hash: z.string().regex(/^[0-9a-f]{64}$/, "hash must be 64 lower-case hex digits"),
    at: z.iso.datetime(),
  })
  .strict();

export function encodeCheckpointPayload(payload: CheckpointPayload): Uint8Array {
  const document = { seq: payload.seq, hash: payload.hash, at: new Date(payload.at).toISOString() };
  return new TextEncoder().encode(JSON.stringify(document));
}

/** Parses a verified JWS payload; throws with the reason when it is not a checkpoint's. */
export function parseCheckpointPayload(bytes: Uint8Array): CheckpointPayload {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new Error("the payload is not JSON");
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`the payload is not a checkpoint: ${parsed.error.issues[0]?.message}`);
  return { seq: parsed.data.seq, hash: parsed.data.hash, at: Date.parse(parsed.data.at) };
}
