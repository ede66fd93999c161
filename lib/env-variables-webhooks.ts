import { z } from "zod";

/*
 * The webhooks Keyward posts to: reminders of key rotations and expiries, and the change
 * requests' events. Kept apart from lib/env-variables.ts only for size; that file spreads them
 * into ENV_VARIABLES, the one list lib/env.ts reads (which also checks that a secret goes with
 * its URL).
 */

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** https, or plain http only to this machine (a local receiver, a test). */
const webhookUrl = z
  .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
  .refine(
    (url) => url.startsWith("https://") || LOOPBACK_HOSTS.includes(new URL(url).hostname),
    "must be https (http only to a loopback address)",
  );

/** The shared secret a receiver checks the signature with: long enough not to be guessed, and printable. */
const webhookSecret = z
  .string()
  .min(32, "must be at least 32 characters")
  .max(512, "must be at most 512 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export const WEBHOOK_VARIABLES = [
  {
    name: "KEYWARD_REMINDER_WEBHOOK_URL",
    scope: "all",
    description:
      "Where the portal posts each reminder as JSON (retried, recorded); https, or http to a loopback address. Unset: reminders show in the portal and the feeds only.",
    example: "https://hooks.contoso.com/keyward",
    secret: true,
    schema: webhookUrl,
  },
  {
    name: "KEYWARD_REMINDER_WEBHOOK_SECRET",
    scope: "all",
    description:
      "Optional: signs each reminder with HMAC-SHA256 in a `Keyward-Signature` header (as the change-request notifications are); at least 32 characters, only with `KEYWARD_REMINDER_WEBHOOK_URL`. Unset: reminders go unsigned. Generate one with `openssl rand -hex 32`.",
    example: "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a0c2e4f6a8b0d2f4e6a8c0b",
    secret: true,
    schema: webhookSecret,
  },
  {
    name: "KEYWARD_NOTIFY_WEBHOOK_URL",
    scope: "all",
    description:
      "Where the portal posts each change-request event (filed, approved, rejected, cancelled, expired, executed, failed, stale) as signed JSON, retried and recorded; https, or http to a loopback address. Unset: no notifications.",
    example: "https://hooks.contoso.com/keyward-requests",
    secret: true,
    schema: webhookUrl,
  },
  {
    name: "KEYWARD_NOTIFY_WEBHOOK_SECRET",
    scope: "all",
    description:
      "The shared secret that signs every notification (HMAC-SHA256, `Keyward-Signature` header); at least 32 characters, required with `KEYWARD_NOTIFY_WEBHOOK_URL`. Generate one with `openssl rand -hex 32`.",
    example: "3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d",
    secret: true,
    schema: webhookSecret,
  },
] as const;
