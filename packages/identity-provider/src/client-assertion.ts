import { createHash } from "node:crypto";
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

import type { ApplicationCredentials } from "./application-credentials";
import { findApplication, type Directory } from "./directory";

/*
 * Entra ID's checks of a client assertion presented instead of a client secret (RFC 7523):
 *  - signed with a registered certificate's key: the header names the certificate by `x5t#S256`
 *    (or the older SHA-1 `x5t`), `iss` = `sub` = the client id, `aud` = the token endpoint,
 *    `exp` and `jti` present (what MSAL's ClientAssertion writes);
 *  - a federated identity credential: another issuer's token (here only this provider's own,
 *    such as a managed identity's) whose `iss`, `sub` and `aud` match a credential of the
 *    application, checked with that issuer's keys.
 * Refusals carry Entra's AADSTS codes, which is what people search for and the doctor matches.
 */

/** Entra ID tolerates five minutes of clock skew on assertions. */
const CLOCK_TOLERANCE_SECONDS = 300;

export class AssertionRefused extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly error: "invalid_client" | "invalid_request" = "invalid_client",
  ) {
    super(`AADSTS${code}: ${description}`);
  }
}

export interface VerifiedAssertion {
  clientId: string;
  kind: "certificate" | "federated";
}

interface VerifierOptions {
  directory: Directory;
  credentials: ApplicationCredentials;
  issuer: string;
  tokenEndpoint: string;
  /** This provider's public keys: the only issuer a federated credential can name. */
  publicKeys: JWTVerifyGetKey;
}

const INVALID_SIGNATURE = "Client assertion contains an invalid signature.";

/** Entra's wording for what jose found wrong; other errors are not the client's. */
function refusal(error: unknown, tokenEndpoint: string): AssertionRefused {
  if (error instanceof errors.JWTExpired)
    return new AssertionRefused(700024, "Client assertion is not within its valid time range.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" || error.claim === "iat")
      return new AssertionRefused(700024, "Client assertion is not within its valid time range.");
    if (error.claim === "aud")
      return new AssertionRefused(
        700027,
        `Client assertion audience (aud) is not the token endpoint ${tokenEndpoint}.`,
      );
    if (error.reason === "missing")
      return new AssertionRefused(700027, `Client assertion has no '${error.claim}' claim.`);
    return new AssertionRefused(
      700027,
      `Client assertion claim '${error.claim}' is not the expected value.`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new AssertionRefused(700027, "Client assertion is not signed with RS256 or PS256.");
  // A bad signature, a key the JWKS does not hold, a malformed JWS.
  if (error instanceof errors.JOSEError) return new AssertionRefused(700027, INVALID_SIGNATURE);
  throw error;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

export function createAssertionVerifier(options: VerifierOptions) {
  const { directory, credentials, issuer, tokenEndpoint, publicKeys } = options;
  // jti → the assertion that used it first, until that assertion expires. MSAL signs one
  // assertion and sends it again for every token request until it expires (and Entra accepts
  // that), so the same assertion may come back; another assertion with its jti may not.
  const usedJtis = new Map<string, { digest: string; expires: number }>();

  function claimJti(clientId: string, payload: JWTPayload, assertion: string) {
    const now = Date.now() / 1000;
    for (const [key, entry] of usedJtis) if (entry.expires < now) usedJtis.delete(key);
    const key = `${clientId} ${payload.jti}`;
    const digest = sha256(assertion);
    const seen = usedJtis.get(key);
    if (seen && seen.digest !== digest)
      throw new AssertionRefused(700027, "Client assertion reuses the jti of another assertion.");
    usedJtis.set(key, { digest, expires: (payload.exp ?? now) + CLOCK_TOLERANCE_SECONDS });
  }

  async function byCertificate(
    clientId: string,
    assertion: string,
    thumbprint: { sha256?: string; sha1?: string },
  ): Promise<VerifiedAssertion> {
    const certificate = credentials.certificate(clientId, thumbprint);
    if (!certificate)
      throw new AssertionRefused(
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint.sha256 ?? thumbprint.sha1}']`,
      );
    const now = new Date();
    if (now < certificate.notBefore || now > certificate.notAfter)
      throw new AssertionRefused(
        700027,
        "Client assertion failed signature validation. [Reason - The key used is expired.]",
      );
    const { payload } = await jwtVerify(assertion, certificate.publicKey, {
      algorithms: ["RS256", "PS256"],
      issuer: clientId,
      subject: clientId,
      audience: tokenEndpoint,
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }).catch((error: unknown) => {
      throw refusal(error, tokenEndpoint);
    });
    claimJti(clientId, payload, assertion);
    return { clientId, kind: "certificate" };
  }

  async function byFederatedCredential(
    clientId: string,
    assertion: string,
    claimedIssuer: unknown,
  ): Promise<VerifiedAssertion> {
    const trusted = credentials.federatedCredentials(clientId).filter((c) => c.issuer === issuer);
    if (claimedIssuer !== issuer || trusted.length === 0)
      throw new AssertionRefused(
        700211,
        `No matching federated identity record found for presented assertion issuer '${String(claimedIssuer)}'.`,
      );
    const { payload } = await jwtVerify(assertion, publicKeys, {
      algorithms: ["RS256"],
      issuer,
      requiredClaims: ["exp", "sub", "aud"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }).catch((error: unknown) => {
      throw refusal(error, tokenEndpoint);
    });
    const audiences = [payload.aud ?? []].flat();
    const forAudience = trusted.filter((c) => audiences.includes(c.audience));
    if (forAudience.length === 0)
      throw new AssertionRefused(
        700212,
        `No matching federated identity record found for presented assertion audience '${audiences.join(", ")}'.`,
      );
    if (!forAudience.some((c) => c.subject === payload.sub))
      throw new AssertionRefused(
        700213,
        `No matching federated identity record found for presented assertion subject '${payload.sub}'.`,
      );
    return { clientId, kind: "federated" };
  }

  /**
   * A chain in the header (x5c, base64 DER, the signing certificate first) must be the
   * certificate the thumbprint names: an empty or different chain is a client's mistake that
   * Entra ID's certificate authentication by subject name would trip over.
   */
  function assertChainMatches(chain: unknown, sha256Thumbprint: unknown): void {
    const first = Array.isArray(chain) ? (chain[0] as unknown) : undefined;
    if (typeof first !== "string")
      throw new AssertionRefused(700027, "The assertion's x5c header holds no certificate.");
    const thumbprint = createHash("sha256")
      .update(Buffer.from(first, "base64"))
      .digest("base64url");
    if (typeof sha256Thumbprint === "string" && thumbprint !== sha256Thumbprint)
      throw new AssertionRefused(
        700027,
        "The assertion's x5c certificate is not the one its x5t#S256 names.",
      );
  }

  /** The application the assertion authenticates, or an AssertionRefused saying why not. */
  async function verify(
    clientIdParameter: string | undefined,
    assertion: string,
  ): Promise<VerifiedAssertion> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      throw new AssertionRefused(50027, "JWT token is invalid or malformed.");
    }
    const sha256Thumbprint = header["x5t#S256"];
    const sha1Thumbprint = header.x5t;
    const byKey = typeof sha256Thumbprint === "string" || typeof sha1Thumbprint === "string";
    // An application's own assertion names itself; a federated one names another subject.
    const clientId = clientIdParameter ?? (byKey ? claims.sub : undefined);
    if (!clientId)
      throw new AssertionRefused(
        900144,
        "The request body must contain the following parameter: 'client_id'.",
        "invalid_request",
      );
    if (!findApplication(directory, clientId))
      throw new AssertionRefused(
        700016,
        `Application with identifier '${clientId}' was not found in the directory.`,
      );
    if (byKey && header.x5c !== undefined) assertChainMatches(header.x5c, sha256Thumbprint);
    return byKey
      ? byCertificate(clientId, assertion, {
          ...(typeof sha256Thumbprint === "string" ? { sha256: sha256Thumbprint } : {}),
          ...(typeof sha1Thumbprint === "string" ? { sha1: sha1Thumbprint } : {}),
        })
      : byFederatedCredential(clientId, assertion, claims.iss);
  }

  return { verify };
}

export type AssertionVerifier = ReturnType<typeof createAssertionVerifier>;
