import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * The signature on everything Keyward posts to a webhook, in Stripe's shape:
 *
 *   Keyward-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *
 * The timestamp is inside the signed text, so a receiver that refuses old timestamps also refuses
 * a captured request replayed later. Pure: the clock is an argument.
 */

export const SIGNATURE_HEADER = "Keyward-Signature";
/** How old a signature a receiver should accept by default (and the verifier here does). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The header's value for `body` signed at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new RangeError("the timestamp must be whole unix seconds");
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type Verification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a header as a receiver would: well formed, recent (within `toleranceSeconds` of `now`,
 * either way), and one of its `v1` signatures made with `secret` over exactly `body`. Compared
 * in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  now: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Verification {
  if (!header) return { ok: false, reason: "no signature" };
  const parts = header.split(",").map((part) => part.trim().split("="));
  const timestamps = parts.filter(([name]) => name === "t").map(([, value]) => value ?? "");
  const signatures = parts.filter(([name]) => name === "v1").map(([, value]) => value ?? "");
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!))
    return { ok: false, reason: "no timestamp" };
  const timestamp = Number(timestamps[0]);
  if (Math.abs(Math.floor(now / 1000) - timestamp) > toleranceSeconds)
    return { ok: false, reason: "the timestamp is outside the tolerance" };
  const expected = Buffer.from(hmacHex(secret, timestamp, body), "hex");
  const matches = signatures.some((signature) => {
    if (!/^[0-9a-f]{64}$/.test(signature)) return false;
    return timingSafeEqual(expected, Buffer.from(signature, "hex"));
  });
  return matches ? { ok: true } : { ok: false, reason: "no signature matches" };
}
