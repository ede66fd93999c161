import { CompactSign, compactVerify, type CryptoKey } from "jose";

import {
  CHECKPOINT_ALG,
  CHECKPOINT_TYP,
  encodeCheckpointPayload,
  parseCheckpointPayload,
  seqOfBlobName,
  type CheckpointPayload,
} from "@/lib/audit/checkpoint-format";
import type { CheckpointClaim } from "@/lib/audit/verify";

/*
 * Signing and checking one checkpoint, without I/O. A checkpoint counts only when its JWS
 * verifies under a trusted key chosen by the header's kid (an unknown kid is a failure, not a
 * reason to try every key), its `typ` is a checkpoint's, its payload parses, and its blob's name
 * states the seq it signed.
 */

export async function signCheckpoint(
  payload: CheckpointPayload,
  signer: { kid: string; privateKey: CryptoKey },
): Promise<string> {
  return new CompactSign(encodeCheckpointPayload(payload))
    .setProtectedHeader({ alg: CHECKPOINT_ALG, kid: signer.kid, typ: CHECKPOINT_TYP })
    .sign(signer.privateKey);
}

function invalid(name: string, seq: number, reason: string): CheckpointClaim {
  return { name, seq, hash: "", at: 0, signatureValid: false, signatureError: reason };
}

/** jose's errors name the failed check; keep their message, never the token. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return "the signature does not verify";
  if (code === "ERR_JWS_INVALID" || code === "ERR_JOSE_ALG_NOT_ALLOWED")
    return `it is not an EdDSA compact JWS (${(error as Error).message})`;
  return (error as Error).message;
}

/** The claim a stored checkpoint makes, with whether its signature holds and why not. */
export async function readCheckpoint(
  name: string,
  content: string,
  trusted: ReadonlyMap<string, { key: CryptoKey }>,
): Promise<CheckpointClaim> {
  const namedSeq = seqOfBlobName(name);
  if (namedSeq === null) return invalid(name, 0, "its name is not a checkpoint's");
  let verified;
  try {
    verified = await compactVerify(
      content.trim(),
      (header) => {
        const key = header.kid === undefined ? undefined : trusted.get(header.kid);
        if (!key)
          throw new Error(
            header.kid === undefined
              ? "its header names no key (kid)"
              : `it was signed by key ${header.kid}, which is not a trusted audit signing key`,
          );
        return key.key;
      },
      { algorithms: [CHECKPOINT_ALG] },
    );
  } catch (error) {
    return invalid(name, namedSeq, reasonOf(error));
  }
  if (verified.protectedHeader.typ !== CHECKPOINT_TYP)
    return invalid(name, namedSeq, `its typ is not ${CHECKPOINT_TYP}`);
  let payload: CheckpointPayload;
  try {
    payload = parseCheckpointPayload(verified.payload);
  } catch (error) {
    return invalid(name, namedSeq, (error as Error).message);
  }
  if (payload.seq !== namedSeq)
    return invalid(
      name,
      namedSeq,
      `its name says seq ${namedSeq} but it signed seq ${payload.seq}`,
    );
  return { name, seq: payload.seq, hash: payload.hash, at: payload.at, signatureValid: true };
}
