import { calculateJwkThumbprint, compactVerify, importJWK } from "jose";
import { z } from "zod";

import {
  MANIFEST_ALG,
  MANIFEST_NAME,
  MANIFEST_TYP,
  manifestSchema,
  SIGNATURE_NAME,
  type Manifest,
} from "@/lib/evidence/manifest";

/*
 * Whether an evidence pack is what the portal exported: the manifest's signature verifies
 * under one of the trusted audit keys (as GET /api/audit/keys publishes them), its payload is
 * manifest.json byte for byte, and every file the manifest lists is there with its hash and
 * size, and no file is there that it does not list. Every problem names its file. No I/O: the
 * reader hands in the hashes it took.
 */

export interface PackEntry {
  name: string;
  sha256: string;
  bytes: number;
}

export interface PackContents {
  /** Every file of the ZIP, with the SHA-256 of its uncompressed bytes. */
  entries: PackEntry[];
  manifest: Uint8Array | null;
  signature: string | null;
}

export interface PackProblem {
  file: string;
  problem: string;
}

export interface PackVerification {
  ok: boolean;
  kid: string | null;
  manifest: Manifest | null;
  problems: PackProblem[];
}

export const keySetSchema = z.object({
  keys: z.array(
    z.looseObject({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1) }),
  ),
});
export type KeySet = z.infer<typeof keySetSchema>;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}

/** The trusted keys by their RFC 7638 thumbprint, whatever `kid` the key set claims. */
async function trustedKeys(keySet: KeySet) {
  const keys = new Map<string, Awaited<ReturnType<typeof importJWK>>>();
  for (const jwk of keySet.keys) {
    const kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x });
    keys.set(kid, await importJWK({ kty: "OKP", crv: "Ed25519", x: jwk.x }, MANIFEST_ALG));
  }
  return keys;
}

async function checkSignature(
  contents: PackContents,
  keySet: KeySet,
  problems: PackProblem[],
): Promise<{ kid: string | null; manifest: Manifest | null }> {
  if (!contents.signature) {
    problems.push({ file: SIGNATURE_NAME, problem: "is missing" });
    return { kid: null, manifest: null };
  }
  if (!contents.manifest) {
    problems.push({ file: MANIFEST_NAME, problem: "is missing" });
    return { kid: null, manifest: null };
  }
  const keys = await trustedKeys(keySet);
  let kid: string | null = null;
  try {
    const verified = await compactVerify(
      contents.signature.trim(),
      (header) => {
        kid = header.kid ?? null;
        if (header.typ !== MANIFEST_TYP) throw new Error(`its typ is not ${MANIFEST_TYP}`);
        const key = kid === null ? undefined : keys.get(kid);
        if (!key)
          throw new Error(
            kid === null
              ? "its header names no key (kid)"
              : `it was signed by key ${kid}, which is not among the trusted keys`,
          );
        return key;
      },
      { algorithms: [MANIFEST_ALG] },
    );
    if (!sameBytes(verified.payload, contents.manifest))
      problems.push({
        file: MANIFEST_NAME,
        problem: "is not the manifest the signature covers (its bytes differ)",
      });
  } catch (error) {
    const code = (error as { code?: string }).code;
    problems.push({
      file: SIGNATURE_NAME,
      problem:
        code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
          ? "does not verify: the signature does not match"
          : `does not verify: ${(error as Error).message}`,
    });
  }
  let manifest: Manifest | null = null;
  try {
    manifest = manifestSchema.parse(JSON.parse(new TextDecoder().decode(contents.manifest)));
  } catch {
    problems.push({ file: MANIFEST_NAME, problem: "is not a Keyward evidence manifest" });
  }
  return { kid, manifest };
}

export async function verifyPack(
  contents: PackContents,
  keySet: KeySet,
): Promise<PackVerification> {
  const problems: PackProblem[] = [];
  const { kid, manifest } = await checkSignature(contents, keySet, problems);
  if (manifest) {
    const present = new Map(contents.entries.map((entry) => [entry.name, entry]));
    for (const listed of manifest.files) {
      const entry = present.get(listed.name);
      if (!entry)
        problems.push({ file: listed.name, problem: "is listed in the manifest but missing" });
      else if (entry.sha256 !== listed.sha256 || entry.bytes !== listed.bytes)
        problems.push({
          file: listed.name,
          problem: `has been altered: its SHA-256 is ${entry.sha256}, the manifest says ${listed.sha256}`,
        });
    }
    const seen = new Set<string>();
    for (const entry of contents.entries) {
      if (seen.has(entry.name))
        problems.push({ file: entry.name, problem: "is in the ZIP more than once" });
      seen.add(entry.name);
    }
    const listed = new Set([...manifest.files.map((f) => f.name), MANIFEST_NAME, SIGNATURE_NAME]);
    for (const entry of contents.entries)
      if (!listed.has(entry.name))
        problems.push({ file: entry.name, problem: "is not listed in the manifest" });
  }
  return { ok: problems.length === 0, kid, manifest, problems };
}
