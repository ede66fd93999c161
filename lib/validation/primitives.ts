import { z } from "zod";

/**
 * Managed HSM names: 3–24 characters, letters, digits and hyphens, starting with a letter,
 * ending with a letter or digit, no consecutive hyphens (the Azure naming rule).
 */
export const hsmName = z
  .string()
  .regex(
    /^(?!.*--)[a-z][a-z0-9-]{1,22}[a-z0-9]$/i,
    "must be 3–24 letters, digits or single hyphens, starting with a letter",
  );

/** Key names in Managed HSM: 1–127 characters from 0-9, a-z, A-Z and "-". */
const KEY_NAME = "[0-9a-zA-Z-]{1,127}";

export const keyName = z
  .string()
  .regex(new RegExp(`^${KEY_NAME}$`), "must be 1–127 letters, digits or hyphens");

/** Where a Managed HSM role assignment applies: the whole HSM, every key, or one key. */
export const roleScope = z
  .string()
  .regex(new RegExp(`^/(keys(/${KEY_NAME})?)?$`), 'must be "/", "/keys" or "/keys/{key name}"');

/** Azure object, tenant and client ids. Azure ids are GUIDs, not always RFC 9562 UUIDs. */
export const guid = z.guid({
  message: "must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47",
});

export function isGuid(text: string): boolean {
  return guid.safeParse(text).success;
}

export const port = z.coerce
  .number({ message: "must be a port number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

export const httpsUrl = z.url({ protocol: /^https$/, message: "must be an https:// URL" });

export const isoDate = z.iso.datetime({ offset: true });

/** A setting that holds JSON: parsed here, then checked by the schema piped after it. */
export function jsonText(whenNotJson: string) {
  return z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: whenNotJson });
      return z.NEVER;
    }
  });
}
