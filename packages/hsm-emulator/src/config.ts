import { z } from "zod";

/*
 * The emulator's configuration: the identity provider it trusts, and the HSMs it serves, one
 * HTTPS port each. Read from a JSON file or built from command-line flags.
 */

/** Entra object and tenant ids: GUIDs, not always RFC 9562 UUIDs. */
export const guid = z.guid({ message: "must be a GUID" });

/** Managed HSM names: 3–24 letters, digits and single hyphens, from a letter to a letter or digit. */
const hsmName = z
  .string()
  .min(3)
  .max(24)
  .regex(
    /^[a-z](?:-?[a-z0-9])+$/i,
    "must be letters, digits and single hyphens, from a letter to a letter or digit",
  );

const port = z.number().int().min(1).max(65_535);

export const OPERATION_CLASSES = ["read", "write", "crypto", "rbac", "backup", "admin"] as const;
export type OperationClass = (typeof OPERATION_CLASSES)[number];

export const faultSchema = z
  .object({
    /** Added to every request, in milliseconds. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** A random extra of up to this many milliseconds. */
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    /** Share of requests per operation class answered 429 Throttled. */
    throttle: z
      .partialRecord(
        z.enum(OPERATION_CLASSES),
        z.object({
          rate: z.number().min(0).max(1),
          /** Seconds sent in Retry-After; omitted, as the real service often omits it. */
          retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
        }),
      )
      .default({}),
    /** Share of requests answered 503. */
    unavailableRate: z.number().min(0).max(1).default(0),
    /** Share of requests whose connection is destroyed without an answer (ECONNRESET). */
    resetRate: z.number().min(0).max(1).default(0),
    /**
     * When a reset strikes: "before" the HSM acts (nothing happened), "after" it acted (the change
     * stands, only the answer is lost), or "either" at random. A client cannot tell them apart.
     */
    resetWhen: z.enum(["before", "after", "either"]).default("either"),
    /** The operation classes resets strike; every class when omitted. */
    resetClasses: z.array(z.enum(OPERATION_CLASSES)).optional(),
  })
  .strict();

export type FaultConfig = z.infer<typeof faultSchema>;

export const hsmSchema = z
  .object({
    name: hsmName,
    port,
    region: z.string().min(1).max(64),
    /** Soft-delete retention, 7–90 days, fixed at HSM creation. */
    retentionDays: z.number().int().min(7).max(90).default(90),
    purgeProtection: z.boolean().default(false),
    /** HSMs with the same security domain can restore each other's backups. */
    securityDomain: z.string().min(1).max(64).optional(),
    /** Object ids given Managed HSM Administrator at "/" when the HSM is first created. */
    administrators: z.array(guid).default([]),
    faults: faultSchema.default({
      latencyMs: 0,
      jitterMs: 0,
      throttle: {},
      unavailableRate: 0,
      resetRate: 0,
      resetWhen: "either",
    }),
  })
  .strict();

export type HsmConfig = z.infer<typeof hsmSchema>;

export const emulatorSchema = z
  .object({
    /** The token issuer to trust (discovery at `${issuer}/.well-known/openid-configuration`). */
    issuer: z.url({ protocol: /^https$/ }),
    tenantId: guid,
    /** null keeps everything in memory (tests); otherwise the directory of emulator.db. */
    dataDir: z.string().min(1).nullable(),
    /** Enables the clock and fault control endpoints; never on outside tests and demos. */
    testMode: z.boolean().default(false),
    /**
     * Where the emulator's clock starts (it then runs at real speed): an instant in the past lets
     * a seed create keys with a history, moving the clock forward to now as it goes.
     */
    clockStart: z.iso.datetime({ offset: true }).optional(),
    hsms: z
      .array(hsmSchema)
      .min(1)
      .refine(
        (hsms) => new Set(hsms.map((h) => h.name)).size === hsms.length,
        "HSM names must be unique",
      )
      .refine(
        (hsms) => new Set(hsms.map((h) => h.port)).size === hsms.length,
        "HSM ports must be unique",
      ),
  })
  .strict();

export type EmulatorConfig = z.infer<typeof emulatorSchema>;
/** A configuration before defaults are applied, as written in a file or built from flags. */
export type EmulatorConfigInput = z.input<typeof emulatorSchema>;
