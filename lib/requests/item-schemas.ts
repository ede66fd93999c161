import { z } from "zod";

import { grantDurationMs } from "@/lib/grants/duration";
import { guid, isoDate, keyName, roleScope } from "@/lib/validation/primitives";

/*
 * What one item of each kind of change request holds, as the API takes it. Each kind maps to
 * one lib/hsm operation (kinds.ts). Dates are ISO 8601 instants with an offset; `null` clears
 * one. Unknown members are refused (`strict`), so a misspelt field is an error, not a no-op.
 */

const tagName = z.string().min(1).max(512);
const tags = z
  .record(tagName, z.string().max(512))
  .refine((value) => Object.keys(value).length <= 15, "a key holds at most 15 tags");
const KEY_OPS = [
  "encrypt",
  "decrypt",
  "sign",
  "verify",
  "wrapKey",
  "unwrapKey",
  "import",
  "export",
] as const;
const keyOps = z.array(z.enum(KEY_OPS)).max(KEY_OPS.length);
const optionalDate = isoDate.nullable().optional();
/** ISO 8601 durations as rotation policies use them: P90D, P1Y, P2M3D, PT12H. */
export const isoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
    "must be an ISO 8601 duration such as P90D",
  );

export const rotationPolicyChange = z
  .strictObject({
    lifetimeActions: z
      .array(
        z
          .strictObject({
            action: z.enum(["Rotate", "Notify"]),
            timeAfterCreate: isoDuration.optional(),
            timeBeforeExpiry: isoDuration.optional(),
          })
          .refine(
            (a) => (a.timeAfterCreate === undefined) !== (a.timeBeforeExpiry === undefined),
            "give exactly one of timeAfterCreate and timeBeforeExpiry",
          ),
      )
      .max(2),
    expiresIn: isoDuration.nullable().optional(),
  })
  .refine(
    (p) => p.lifetimeActions.filter((a) => a.action === "Rotate").length <= 1,
    "a policy holds at most one Rotate action",
  );

const keyTarget = { key: keyName };

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const AES_SIZES = [128, 192, 256] as const;
export const CURVES = ["P-256", "P-256K", "P-384", "P-521"] as const;

export const keyCreateItem = z
  .strictObject({
    ...keyTarget,
    kty: z.enum(["RSA", "EC", "oct"]),
    size: z.number().int().optional(),
    curve: z.enum(CURVES).optional(),
    keyOps: keyOps.optional(),
    enabled: z.boolean().optional(),
    notBefore: optionalDate,
    expiresOn: optionalDate,
    tags: tags.optional(),
    exportable: z.boolean().optional(),
    /** Set right after the key is made (a key from a template always carries one). */
    rotationPolicy: rotationPolicyChange.optional(),
  })
  .superRefine((item, ctx) => {
    const sizes: readonly number[] | null =
      item.kty === "RSA" ? RSA_SIZES : item.kty === "oct" ? AES_SIZES : null;
    if (sizes && item.size !== undefined && !sizes.includes(item.size))
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        message: `an ${item.kty === "RSA" ? "RSA" : "AES"} key is ${sizes.join(", ")} bits`,
      });
    if (item.kty === "EC" && item.size !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["size"],
        message: "an EC key has a curve, not a size",
      });
    if (item.kty !== "EC" && item.curve !== undefined)
      ctx.addIssue({ code: "custom", path: ["curve"], message: "only an EC key has a curve" });
  });

/**
 * A `key.create` item that names a key template: the server fills in everything the template
 * fixes (lib/templates/expand.ts). The owner tag is the chosen group; `name` must follow the
 * template's naming rule and is chosen by it when absent.
 */
export const keyFromTemplateItem = z.strictObject({
  template: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, "must be a key template's name"),
  group: guid,
  name: keyName.optional(),
  tags: tags.optional(),
});

/** Whether a key.create item names a template (it is then read as keyFromTemplateItem). */
export const namesTemplate = (item: unknown): boolean =>
  typeof item === "object" && item !== null && "template" in item;

const b64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "must be base64url")
  .max(2048);

/** A JSON Web Key with its private members; it is sealed at filing and never shown again. */
export const importedJwk = z
  .strictObject({
    kty: z.enum(["RSA", "EC", "oct"]),
    n: b64url.optional(),
    e: b64url.optional(),
    d: b64url.optional(),
    p: b64url.optional(),
    q: b64url.optional(),
    dp: b64url.optional(),
    dq: b64url.optional(),
    qi: b64url.optional(),
    crv: z.enum(CURVES).optional(),
    x: b64url.optional(),
    y: b64url.optional(),
    k: b64url.optional(),
    key_ops: keyOps.optional(),
  })
  .superRefine((jwk, ctx) => {
    const needs = { RSA: ["n", "e", "d", "p", "q"], EC: ["crv", "x", "y", "d"], oct: ["k"] }[
      jwk.kty
    ] as (keyof typeof jwk)[];
    for (const member of needs)
      if (jwk[member] === undefined)
        ctx.addIssue({
          code: "custom",
          path: [member],
          message: `an ${jwk.kty} key to import needs "${member}"`,
        });
  });

export const keyImportItem = z.strictObject({
  ...keyTarget,
  jwk: importedJwk,
  enabled: z.boolean().optional(),
  notBefore: optionalDate,
  expiresOn: optionalDate,
  tags: tags.optional(),
});

export const keyUpdateItem = z
  .strictObject({
    ...keyTarget,
    enabled: z.boolean().optional(),
    expiresOn: optionalDate,
    notBefore: optionalDate,
    tags: tags.optional(),
    keyOps: keyOps.optional(),
  })
  .refine(
    (item) => Object.keys(item).some((name) => name !== "key"),
    "say what to change: enabled, expiresOn, notBefore, tags or keyOps",
  );

export const keyOnlyItem = z.strictObject(keyTarget);

export const keyRotationPolicyItem = z.strictObject({
  ...keyTarget,
  policy: rotationPolicyChange,
});

export const roleAssignmentCreateItem = z.strictObject({
  scope: roleScope,
  roleDefinitionId: guid,
  principalId: guid,
  /** A time-limited grant: removed automatically this long after it is made (PT15M … P30D). */
  expiresAfter: z
    .string()
    .superRefine((text, ctx) => {
      const parsed = grantDurationMs(text);
      if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
    })
    .optional(),
});

export const roleAssignmentDeleteItem = z.strictObject({ name: guid });

const dataAction = z
  .string()
  .max(200)
  .regex(/^Microsoft\.KeyVault\/managedHsm\/[A-Za-z/*]+$/, "must be a Managed HSM data action");

export const roleDefinitionUpsertItem = z.strictObject({
  /** The definition's GUID; absent for a new role. */
  name: guid.optional(),
  roleName: z.string().trim().min(1).max(200),
  description: z.string().max(1000).default(""),
  dataActions: z.array(dataAction).min(1).max(100),
  notDataActions: z.array(dataAction).max(100).default([]),
});

export const roleDefinitionDeleteItem = z.strictObject({ name: guid });

export const settingUpdateItem = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,99}$/, "must be a setting name"),
  value: z.string().max(1000),
});

/** A backup run as the portal recorded it (`backup_run.id`). */
const backupRunId = z.uuid({ message: "must be a backup run id (a UUID)" });

/** One key, with all its versions, from a catalogued good backup of the request's HSM. */
export const restoreKeyItem = z.strictObject({ backupRunId, ...keyTarget });

/** The whole HSM from a good backup of it (after a safety backup). */
export const restoreFullItem = z.strictObject({ backupRunId });
