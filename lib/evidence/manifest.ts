import { z } from "zod";

/*
 * The pack's manifest: what it covers, who exported it, and the SHA-256 and size of every other
 * file. Its exact bytes are the payload of `manifest.json.jws`, signed with the audit signing
 * key; verifying the signature and then each file's hash proves the pack whole. Pure.
 */

export const MANIFEST_NAME = "manifest.json";
export const SIGNATURE_NAME = "manifest.json.jws";
export const MANIFEST_FORMAT = "keyward-evidence-pack/1";
export const MANIFEST_TYP = "keyward-evidence-manifest+jws";
export const MANIFEST_ALG = "EdDSA";

export const manifestFileSchema = z.strictObject({
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});
export type ManifestFile = z.infer<typeof manifestFileSchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  generatedAt: z.string(),
  period: z.strictObject({ from: z.string(), to: z.string() }),
  hsms: z.array(z.string()),
  portal: z.strictObject({ version: z.string(), url: z.string() }),
  exporter: z.strictObject({ id: z.string(), name: z.string() }),
  /** The audit event that records this export (its seq and hash). */
  auditEvent: z.strictObject({ seq: z.number().int(), hash: z.string() }),
  files: z.array(manifestFileSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

/** How to check the pack by hand, in words and commands, for README.txt. */
export function readmeText(manifest: Omit<Manifest, "files">, kid: string): string {
  return `Keyward evidence pack
=====================

Period:    ${manifest.period.from} to ${manifest.period.to} (UTC, end exclusive)
HSMs:      ${manifest.hsms.join(", ") || "(none configured)"}
Exported:  ${manifest.generatedAt} by ${manifest.exporter.name} (${manifest.exporter.id})
Portal:    ${manifest.portal.url} (Keyward ${manifest.portal.version})
Audit:     this export is audit event ${manifest.auditEvent.seq}

Files
-----
inventory.csv             every key: type, size or curve, operations, dates, rotation policy and
                          its cryptoperiod status (ok, expired, rotation-overdue, no-policy...)
access-matrix.csv         principal x key x role, held directly or through a group
                          (key "*" = every key of the HSM)
sod-findings.json         separation-of-duties findings at export time
rotation-compliance.csv   each key against its own policy: on-time, late, never-rotated, no-policy
changes.csv               every change request filed in the period: requester, approvers,
                          justification, times, outcome
backups.csv               every backup run in the period and its outcome
backup-days.csv           per HSM and day: good, failed and missed runs, and the age of the last
                          good backup at the day's end
out-of-band.csv           changes made in the HSMs behind the portal's back: first seen in the
                          period, or still open; each with before, after and any explanation
access-reviews.csv        the access reviews open in the period, one row per role assignment:
                          who confirmed it or flagged it for removal, when, why, and the removal
                          request a flag filed
audit-extract.jsonl       the period's audit events, one JSON object per line, oldest first
audit-verification.json   the whole audit chain verified against its signed checkpoints at export
manifest.json             the SHA-256 and size of every file above and this README
manifest.json.jws         the manifest signed (compact JWS, EdDSA/Ed25519, key id ${kid})

How to verify
-------------
The signature proves the manifest; the manifest's hashes prove every other file. Trust only
the public key you get from the portal itself, not one handed to you with a pack:

  curl -s ${manifest.portal.url}/api/audit/keys > audit-keys.json

1. With Keyward (from a checkout of the portal):

  npm run evidence:verify pack.zip -- --keys audit-keys.json

   It prints every problem, naming the file, and exits 0 only when everything holds.

2. By hand, with openssl 3, jq and coreutils, in the unzipped folder:

  # the public key ${kid} as PEM (an Ed25519 JWK's "x" behind the fixed DER prefix)
  X=$(jq -r '.keys[] | select(.kid == "${kid}") | .x' audit-keys.json)
  pad() { local s="$1"; while [ $(( \${#s} % 4 )) -ne 0 ]; do s="$s="; done; printf '%s' "$s"; }
  { printf '302a300506032b6570032100' | xxd -r -p; pad "$X" | basenc --base64url -d; } \\
    | openssl pkey -pubin -inform DER -out audit-key.pem

  # the signature covers "header.payload"; the payload is manifest.json, byte for byte
  cut -d. -f1,2 manifest.json.jws | tr -d '\\n' > signing-input
  pad "$(cut -d. -f3 manifest.json.jws | tr -d '\\n')" | basenc --base64url -d > signature.bin
  openssl pkeyutl -verify -pubin -inkey audit-key.pem -rawin -in signing-input -sigfile signature.bin
  pad "$(cut -d. -f2 manifest.json.jws | tr -d '\\n')" | basenc --base64url -d | cmp - manifest.json

  # every file's hash
  jq -r '.files[] | "\\(.sha256)  \\(.name)"' manifest.json | sha256sum -c

   openssl prints "Signature Verified Successfully", cmp prints nothing, and sha256sum says OK
   for every file. Anything else means the pack is not what the portal exported.
`;
}
