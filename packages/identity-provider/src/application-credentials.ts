import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import { z } from "zod";

import { TOKEN_EXCHANGE_AUDIENCE } from "./constants";
import { findApplication, type Directory } from "./directory";

/*
 * The credentials an application may prove itself with instead of its client secret, as an
 * owner adds them to an app registration in Entra ID: certificates (whose private key signs a
 * client assertion) and federated identity credentials (trust in another issuer's token about
 * one subject). Kept in memory for one run of the provider, and addable while it runs, as in
 * Entra; the client secret stays valid beside them, as it does there.
 */

export interface RegisteredCertificate {
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` an assertion names it by. */
  thumbprintSha256: string;
  /** base64url SHA-1 of the DER certificate: the older `x5t`. */
  thumbprintSha1: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

export const federatedCredentialSchema = z.object({
  /** Defaults to this provider's issuer: the only one whose keys it can check a token with. */
  issuer: z.url().optional(),
  subject: z.string().min(1),
  audience: z.string().min(1).default(TOKEN_EXCHANGE_AUDIENCE),
});

export type FederatedCredentialInput = z.input<typeof federatedCredentialSchema>;
export type FederatedCredential = Required<z.output<typeof federatedCredentialSchema>>;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** The certificate of a PEM file that may also hold its private key (never read here). */
export function parseCertificate(pem: string): RegisteredCertificate {
  const block = CERTIFICATE_BLOCK.exec(pem)?.[0];
  if (!block) throw new Error("the PEM holds no certificate");
  const certificate = new X509Certificate(block);
  // Entra ID signs and checks client assertions with RSA keys (RS256, PS256) only.
  if (certificate.publicKey.asymmetricKeyType !== "rsa")
    throw new Error("the certificate's key must be RSA, as Entra ID requires");
  // Refused at upload, as Entra ID does, rather than failing every assertion later.
  if ((certificate.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new Error("the certificate's RSA key must have 2048 bits or more");
  return {
    thumbprintSha256: createHash("sha256").update(certificate.raw).digest("base64url"),
    thumbprintSha1: createHash("sha1").update(certificate.raw).digest("base64url"),
    publicKey: certificate.publicKey,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}

export function createApplicationCredentials(directory: Directory, issuer: string) {
  const certificates = new Map<string, RegisteredCertificate[]>();
  const federated = new Map<string, FederatedCredential[]>();

  function knownApplication(appId: string): string {
    if (!findApplication(directory, appId))
      throw new Error(`the directory has no application ${appId}`);
    return appId;
  }

  return {
    /** Registers a certificate (PEM) for an application; returns its `x5t#S256` thumbprint. */
    addCertificate: (appId: string, pem: string): string => {
      const certificate = parseCertificate(pem);
      const list = certificates.get(knownApplication(appId)) ?? [];
      if (!list.some((c) => c.thumbprintSha256 === certificate.thumbprintSha256))
        list.push(certificate);
      certificates.set(appId, list);
      return certificate.thumbprintSha256;
    },

    addFederatedCredential: (
      appId: string,
      input: FederatedCredentialInput,
    ): FederatedCredential => {
      const parsed = federatedCredentialSchema.parse(input);
      const credential = { ...parsed, issuer: parsed.issuer ?? issuer };
      if (credential.issuer !== issuer)
        throw new Error(
          `only tokens of this provider (${issuer}) can be checked, not of ${credential.issuer}`,
        );
      const list = federated.get(knownApplication(appId)) ?? [];
      list.push(credential);
      federated.set(appId, list);
      return credential;
    },

    /** The application's certificate a thumbprint names (`x5t#S256` or `x5t`), if registered. */
    certificate: (
      appId: string,
      thumbprint: { sha256?: string; sha1?: string },
    ): RegisteredCertificate | undefined => {
      return certificates
        .get(appId)
        ?.find((c) =>
          thumbprint.sha256
            ? c.thumbprintSha256 === thumbprint.sha256
            : c.thumbprintSha1 === thumbprint.sha1,
        );
    },

    federatedCredentials: (appId: string): FederatedCredential[] => {
      return federated.get(appId) ?? [];
    },

    /** Whether any application has a credential other than its secret. */
    isEmpty: (): boolean => {
      return certificates.size === 0 && federated.size === 0;
    },
  };
}

export type ApplicationCredentials = ReturnType<typeof createApplicationCredentials>;
