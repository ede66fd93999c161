import type { ClientCertificate, RawResponse } from "@keyward/local-https";
import { importPKCS8, SignJWT } from "jose";
import { expect } from "vitest";

export interface AssertionOptions {
  clientId: string;
  audience: string;
  /** Signs with this certificate's key... */
  signer: ClientCertificate;
  /** ...while naming this one (default: the signer). */
  named?: ClientCertificate;
  expiresIn?: number;
  jti?: string;
  alg?: "PS256" | "RS256";
  /** The chain in the header's x5c (base64 DER), as MSAL sends it; none by default. */
  x5c?: string[];
}

/** A client assertion as MSAL writes one from a certificate (ClientAssertion.createJwt). */
export async function certificateAssertion(options: AssertionOptions): Promise<string> {
  const alg = options.alg ?? "PS256";
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg,
      typ: "JWT",
      "x5t#S256": (options.named ?? options.signer).thumbprintSha256,
      ...(options.x5c ? { x5c: options.x5c } : {}),
    })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.audience)
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 600))
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(await importPKCS8(options.signer.privateKeyPem, alg));
}

/** A token request's client authentication by assertion. */
export const assertionForm = (assertion: string, clientId: string) => ({
  client_id: clientId,
  client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
  client_assertion: assertion,
});

/** Entra's refusal of a client assertion, with its AADSTS code. */
export function expectRefused(response: RawResponse, code: string) {
  expect(response.status, response.text).toBe(401);
  const body = response.body as { error: string; error_description: string };
  expect(body.error).toBe("invalid_client");
  expect(body.error_description).toMatch(new RegExp(`^${code}: `));
}
