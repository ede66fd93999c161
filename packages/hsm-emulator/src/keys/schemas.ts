import { z } from "zod";

/* Request bodies of the key operations, as the 7.6 spec defines them. */

export const KEY_OPS = [
  "encrypt",
  "decrypt",
  "sign",
  "verify",
  "wrapKey",
  "unwrapKey",
  "import",
  "export",
] as const;

const base64url = z
  .string()
  .regex(/^[A-Za-z0-9_\-+/]*={0,2}$/, "must be base64url")
  .transform((value) => Buffer.from(value, "base64url"));

const unixTime = z.number().int().min(0);

export const attributesInput = z.looseObject({
  enabled: z.boolean().optional(),
  nbf: unixTime.nullable().optional(),
  exp: unixTime.nullable().optional(),
  exportable: z.boolean().optional(),
});

export const tagsInput = z
  .record(
    z.string().min(1).max(256, "tag names are at most 256 characters"),
    z.string().max(256, "tag values are at most 256 characters"),
  )
  .refine((tags) => Object.keys(tags).length <= 15, "a key has at most 15 tags");

export const keyOpsInput = z.array(
  z.enum(KEY_OPS, { message: `key_ops values are ${KEY_OPS.join(", ")}` }),
);

export const releasePolicyInput = z.looseObject({
  contentType: z.string().optional(),
  immutable: z.boolean().optional(),
  data: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "must be base64url")
    .optional(),
});

export const createKeyBody = z.object({
  kty: z.string(),
  key_size: z.number().int().optional(),
  public_exponent: z.number().int().optional(),
  key_ops: keyOpsInput.optional(),
  attributes: attributesInput.optional(),
  tags: tagsInput.optional(),
  crv: z.string().optional(),
  release_policy: releasePolicyInput.optional(),
});

export const importKeyBody = z.object({
  key: z.looseObject({ kty: z.string(), key_ops: keyOpsInput.optional() }),
  Hsm: z.boolean().optional(),
  attributes: attributesInput.optional(),
  tags: tagsInput.optional(),
  release_policy: releasePolicyInput.optional(),
});

export const updateKeyBody = z.object({
  key_ops: keyOpsInput.optional(),
  attributes: attributesInput.optional(),
  tags: tagsInput.optional(),
  release_policy: releasePolicyInput.optional(),
});

export const keyOperationBody = z.object({
  alg: z.string().min(1),
  value: base64url,
  iv: base64url.optional(),
  aad: base64url.optional(),
  tag: base64url.optional(),
});

export const signBody = z.object({ alg: z.string().min(1), value: base64url });
export const verifyBody = z.object({ alg: z.string().min(1), digest: base64url, value: base64url });
export const restoreKeyBody = z.object({ value: base64url });
export const randomBytesBody = z.object({
  count: z.number().int().min(1, "count must be 1 to 128").max(128, "count must be 1 to 128"),
});

export const rotationPolicyBody = z.looseObject({
  lifetimeActions: z
    .array(
      z.object({
        trigger: z.object({
          timeAfterCreate: z.string().optional(),
          timeBeforeExpiry: z.string().optional(),
        }),
        action: z.object({ type: z.string() }),
      }),
    )
    .optional(),
  attributes: z.looseObject({ expiryTime: z.string().optional() }).optional(),
});

export type RotationPolicyInput = z.infer<typeof rotationPolicyBody>;
