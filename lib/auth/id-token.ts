import "server-only";

import { jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

/*
 * MSAL trusts the ID token it receives over TLS from the token endpoint and does not check its
 * signature. The portal does, before creating a session (RFC 8725): RS256 only (never `none`
 * or a key the header supplies), the configured issuer and audience, an unexpired token, the
 * nonce of this sign-in, and the expected tenant.
 */

const claimsSchema = z.object({
  oid: z.string().min(1),
  tid: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  roles: z.array(z.string()).default([]),
  groups: z.array(z.string()).default([]),
  nonce: z.string(),
  iat: z.number(),
  auth_time: z.number().optional(),
});

export type VerifiedIdToken = z.infer<typeof claimsSchema>;

export interface IdTokenExpectations {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  tenantId: string;
  nonce: string;
  /** Seconds of clock skew tolerated. */
  clockTolerance?: number;
}

export class IdTokenError extends Error {
  override name = "IdTokenError";
}

export async function verifyIdToken(
  idToken: string,
  expected: IdTokenExpectations,
): Promise<VerifiedIdToken> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(idToken, expected.keys, {
      algorithms: ["RS256"],
      issuer: expected.issuer,
      audience: expected.audience,
      requiredClaims: ["exp", "iat", "nonce", "oid", "tid"],
      clockTolerance: expected.clockTolerance ?? 60,
    }));
  } catch (error) {
    throw new IdTokenError(`the ID token is not valid: ${(error as Error).message}`);
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success)
    throw new IdTokenError(`the ID token lacks claims: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.nonce !== expected.nonce)
    throw new IdTokenError("the ID token's nonce does not match this sign-in");
  if (parsed.data.tid !== expected.tenantId)
    throw new IdTokenError("the ID token comes from another tenant");
  return parsed.data;
}
