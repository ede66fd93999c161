import "server-only";

import { isRestError, RestError } from "@azure/core-rest-pipeline";
import type { JsonWebKey, KeyCurveName, KeyOperation } from "@azure/keyvault-keys";

import { AppError } from "@/lib/errors";
import type { ImportedJwk } from "@/lib/hsm/types";

/*
 * A JWK as people hold it (base64url strings, e.g. node:crypto's export({ format: "jwk" })) →
 * the SDK's JsonWebKey (bytes). Only the members Managed HSM knows are copied; others (kid, alg,
 * use, ext) are dropped. Error messages name a member, never its value: the private members are
 * key material.
 */

const BYTE_MEMBERS = ["n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y", "k"] as const;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The JWK registry spells secp256k1's curve "secp256k1" (RFC 8812); Azure calls it P-256K. */
const CURVES: Record<string, KeyCurveName> = {
  "P-256": "P-256",
  "P-256K": "P-256K",
  secp256k1: "P-256K",
  "P-384": "P-384",
  "P-521": "P-521",
};

const REQUIRED: Record<string, readonly string[]> = {
  RSA: ["n", "e", "d", "p", "q", "dp", "dq", "qi"],
  EC: ["crv", "d"],
  oct: ["k"],
};

function invalid(hsm: string, name: string, why: string): AppError {
  return new AppError("bad_request", `HSM ${hsm}: cannot import key ${name}: ${why}.`);
}

/** Converts and checks the shape locally, so that a malformed key never leaves the portal. */
export function toSdkJsonWebKey(
  hsm: string,
  name: string,
  jwk: ImportedJwk,
  keyOps: string[] | undefined,
): JsonWebKey {
  const family = typeof jwk.kty === "string" ? jwk.kty.replace(/-HSM$/i, "") : "";
  const required = REQUIRED[family];
  if (!required) throw invalid(hsm, name, 'its kty must be "RSA", "EC" or "oct"');
  const missing = required.filter((member) => !jwk[member as keyof ImportedJwk]);
  if (missing.length > 0) throw invalid(hsm, name, `the JWK lacks ${missing.join(", ")}`);
  const sdk: JsonWebKey = { kty: family };
  for (const member of BYTE_MEMBERS) {
    const value = jwk[member];
    if (value === undefined) continue;
    if (typeof value !== "string" || !BASE64URL.test(value))
      throw invalid(hsm, name, `the JWK member "${member}" is not base64url`);
    sdk[member] = new Uint8Array(Buffer.from(value, "base64url"));
  }
  if (family === "EC") {
    const curve = CURVES[jwk.crv ?? ""];
    if (!curve) throw invalid(hsm, name, "its curve must be P-256, P-256K, P-384 or P-521");
    sdk.crv = curve;
  }
  const ops = keyOps ?? jwk.key_ops;
  if (ops) sdk.keyOps = [...ops] as KeyOperation[];
  return sdk;
}

/** The failure of a request that carried key material, minus that request (and its body). */
export function withoutRequest(error: unknown): unknown {
  if (!isRestError(error)) return error;
  return new RestError(error.message, { statusCode: error.statusCode, code: error.code });
}
