import { errors as joseErrors, jwtVerify } from "jose";

import { MANAGED_HSM_RESOURCE } from "./constants";
import { HsmError } from "./errors";
import { issuerSigningKeys } from "./issuer-keys";
import type { Caller } from "./rbac/evaluate";

/*
 * Authentication as Managed HSM does it: a request without a token gets 401 and the challenge
 * (exactly the real header: the SDKs parse it strictly); a bearer token must be signed by the
 * configured issuer, for audience https://managedhsm.azure.net, unexpired, from the tenant.
 * The caller is the token's oid; its groups claim lets group assignments apply.
 */

export function challengeHeader(tenantId: string): string {
  return `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${MANAGED_HSM_RESOURCE}"`;
}

export interface VerifiedCaller extends Caller {
  appid: string | null;
}

const CACHE_LIMIT = 10_000;

export function createTokenVerifier(options: {
  issuer: string;
  tenantId: string;
  caPem: string | undefined;
}) {
  const signingKeys = issuerSigningKeys(options.issuer, options.caPem);
  // Verified tokens are kept until they expire: a client sends the same token on every call.
  const verified = new Map<string, { caller: VerifiedCaller; expiresAt: number }>();

  const unauthorized = (message: string) =>
    new HsmError(401, "Unauthorized", message, undefined, {
      "www-authenticate": challengeHeader(options.tenantId),
    });

  /*
   * Tokens are judged on real time, not on the emulator's clock: the identity provider issues
   * them on real time, and moving the emulated clock (to test rotation) must not expire them.
   */
  return async function verify(authorization: string | undefined): Promise<VerifiedCaller> {
    const nowMs = Date.now();
    if (!authorization) throw unauthorized("AKV10000: Request is missing a Bearer or PoP token.");
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token) throw unauthorized("AKV10001: The authorization header is not a Bearer token.");
    const cached = verified.get(token);
    if (cached && cached.expiresAt > nowMs) return cached.caller;

    let payload;
    try {
      ({ payload } = await jwtVerify(token, signingKeys, {
        issuer: options.issuer,
        audience: [MANAGED_HSM_RESOURCE, `${MANAGED_HSM_RESOURCE}/`],
        algorithms: ["RS256"],
        requiredClaims: ["exp", "oid", "tid"],
      }));
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired
          ? "the token has expired"
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `invalid ${error.claim} claim`
            : error instanceof joseErrors.JOSEError
              ? error.code
              : "it cannot be verified";
      throw unauthorized(`AKV10022: The token was rejected: ${reason}.`);
    }
    if (payload.tid !== options.tenantId)
      throw unauthorized("AKV10032: The token was issued for another tenant.");
    const caller: VerifiedCaller = {
      oid: String(payload.oid),
      groups: Array.isArray(payload.groups) ? payload.groups.map(String) : [],
      appid:
        typeof payload.appid === "string"
          ? payload.appid
          : typeof payload.azp === "string"
            ? payload.azp
            : null,
    };
    if (verified.size > CACHE_LIMIT) verified.clear();
    verified.set(token, { caller, expiresAt: (payload.exp ?? 0) * 1000 });
    return caller;
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
