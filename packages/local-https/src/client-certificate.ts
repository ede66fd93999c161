import { createHash, randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/*
 * A self-signed RSA certificate with its private key, as someone creates one to upload to an app
 * registration as its credential (tests of client-certificate sign-in).
 */

const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export interface ClientCertificate {
  /** The certificate alone: what the identity provider is given. */
  certificatePem: string;
  /** The unencrypted PKCS#8 private key. */
  privateKeyPem: string;
  /** Certificate and key in one file, as a client keeps its credential. */
  pem: string;
  /** base64url SHA-256 of the DER certificate: the `x5t#S256` an assertion names it by. */
  thumbprintSha256: string;
}

export async function createClientCertificate(
  options: { commonName?: string; notBefore?: Date; notAfter?: Date } = {},
): Promise<ClientCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"]);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString("hex"),
    name: `CN=${options.commonName ?? "keyward-test"}`,
    notBefore,
    notAfter: options.notAfter ?? new Date(notBefore.getTime() + 24 * 3_600_000),
    keys,
    signingAlgorithm: RSA,
  });
  const certificatePem = certificate.toString("pem");
  const privateKeyPem = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey("pkcs8", keys.privateKey),
    "PRIVATE KEY",
  );
  return {
    certificatePem,
    privateKeyPem,
    pem: `${certificatePem}\n${privateKeyPem}\n`,
    thumbprintSha256: createHash("sha256")
      .update(Buffer.from(certificate.rawData))
      .digest("base64url"),
  };
}
