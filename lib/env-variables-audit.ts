import { z } from "zod";

import { httpsUrl, jsonText } from "@/lib/validation/primitives";

/*
 * The settings of the audit log's anchoring (signed checkpoints of the chain's head, kept in blob
 * storage outside the database). Kept apart from lib/env-variables.ts only for size; that file
 * spreads them into ENV_VARIABLES, the one list lib/env.ts reads.
 */

/** An Ed25519 public key as a JWK (RFC 8037): `x` is the 32-byte key in base64url. */
export const ed25519PublicJwk = z
  .object({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "x must be 32 bytes in base64url"),
  })
  .loose();

export type Ed25519PublicJwk = z.infer<typeof ed25519PublicJwk>;

const previousKeys = jsonText("must be a JSON array of public JWKs").pipe(
  z
    .array(ed25519PublicJwk, { message: "must be a JSON array of Ed25519 public JWKs" })
    .max(20, "at most 20 keys")
    .refine((keys) => keys.every((key) => !("d" in key)), "must hold public keys only (no d)"),
);

export const AUDIT_VARIABLES = [
  {
    name: "KEYWARD_AUDIT_CHECKPOINT_MINUTES",
    scope: "all",
    description:
      "Minutes between signed checkpoints of the audit log's head (also written at start-up and at shutdown); 0 turns the checkpoint job off.",
    example: "5",
    defaultValue: "10",
    schema: z.coerce
      .number()
      .int("must be a whole number")
      .min(0)
      .max(1440, "must be at most 1440"),
  },
  {
    name: "KEYWARD_AUDIT_SIGNING_KEY_FILE",
    scope: "azure",
    description:
      "PEM file holding the Ed25519 private key (PKCS#8, unencrypted) that signs the audit checkpoints. Generate one with `openssl genpkey -algorithm ed25519 -out audit-signing.pem`. Locally the launcher generates the key into `secrets.json`.",
    example: "/etc/keyward/audit-signing.pem",
    requiredIn: "azure",
    schema: z.string().min(1, "must not be empty"),
  },
  {
    name: "KEYWARD_AUDIT_CONTAINER_URL",
    scope: "azure",
    description:
      "The blob container that keeps the audit checkpoints, reached as the portal's application identity (it needs to read, list and create blobs there; give it no delete, and put a time-based immutability policy on the container). Locally the launcher's Azurite holds them in `keyward-audit`.",
    example: "https://contosoaudit.blob.core.windows.net/keyward-audit",
    requiredIn: "azure",
    schema: httpsUrl.refine(
      (url) => new URL(url).search === "" && new URL(url).pathname.split("/").length === 2,
      "must be the container's URL (https://<account>.blob.core.windows.net/<container>), without a query",
    ),
  },
  {
    name: "KEYWARD_AUDIT_PREVIOUS_KEYS",
    scope: "all",
    description:
      "Public keys of earlier audit signing keys, as a JSON array of Ed25519 JWKs: checkpoints they signed still verify, and `GET /api/audit/keys` lists them. Add the old key here when you replace the signing key.",
    example: '[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]',
    schema: previousKeys,
  },
] as const;
