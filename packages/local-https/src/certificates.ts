import { X509Certificate as NodeCertificate, randomBytes, webcrypto } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  id_ce_nameConstraints,
  NameConstraints,
} from "@peculiar/asn1-x509";
import * as x509 from "@peculiar/x509";

/*
 * The local certificate authority behind every HTTPS server of the local stack (emulator,
 * identity provider). Its certificate carries name constraints (localhost, 127.0.0.0/8, ::1),
 * so a developer who trusts it in a browser cannot be fooled by a certificate for any other
 * host even if the CA key leaked.
 */

export interface LocalTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
const CA_LIFETIME_DAYS = 3650;
const LEAF_LIFETIME_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;
export const LOCAL_HOST_NAMES = { dns: ["localhost"], ip: ["127.0.0.1", "::1"] } as const;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER
  return bytes.toString("hex");
}

function validity(days: number) {
  const notBefore = new Date(Date.now() - 60_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(pem)[0];
  if (!der) throw new Error("empty private key file");
  return webcrypto.subtle.importKey("pkcs8", der, ALGORITHM, false, ["sign"]);
}

function writeSecret(file: string, content: string) {
  fs.writeFileSync(file, content, { mode: 0o600 });
}

async function createAuthority(caFile: string, caKeyFile: string): Promise<void> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const permitted = new GeneralSubtrees([
    new GeneralSubtree({ base: new GeneralName({ dNSName: "localhost" }) }),
    new GeneralSubtree({ base: new GeneralName({ iPAddress: "127.0.0.0/8" }) }),
    new GeneralSubtree({ base: new GeneralName({ iPAddress: "::1/128" }) }),
  ]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=Keyward local CA (${os.hostname()}), O=Keyward development`,
    ...validity(CA_LIFETIME_DAYS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      new x509.Extension(
        id_ce_nameConstraints,
        true,
        AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  writeSecret(caKeyFile, await exportPrivateKey(keys.privateKey));
  fs.writeFileSync(caFile, certificate.toString("pem"));
}

async function createServerCertificate(tls: LocalTls, caKeyFile: string): Promise<void> {
  const caPem = fs.readFileSync(tls.caFile, "utf8");
  const ca = new x509.X509Certificate(caPem);
  const caKey = await importPrivateKey(fs.readFileSync(caKeyFile, "utf8"));
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: "CN=localhost",
    issuer: ca.subject,
    ...validity(LEAF_LIFETIME_DAYS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...LOCAL_HOST_NAMES.dns.map((value) => ({ type: "dns" as const, value })),
        ...LOCAL_HOST_NAMES.ip.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeSecret(tls.keyFile, await exportPrivateKey(keys.privateKey));
  fs.writeFileSync(tls.certFile, certificate.toString("pem"));
}

function expiresSoon(certificate: NodeCertificate): boolean {
  return new Date(certificate.validTo).getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY_MS;
}

function authorityUsable(caFile: string, caKeyFile: string): boolean {
  if (!fs.existsSync(caFile) || !fs.existsSync(caKeyFile)) return false;
  return !expiresSoon(new NodeCertificate(fs.readFileSync(caFile)));
}

function serverCertificateUsable(tls: LocalTls): boolean {
  if (!fs.existsSync(tls.certFile) || !fs.existsSync(tls.keyFile)) return false;
  const leaf = new NodeCertificate(fs.readFileSync(tls.certFile));
  const ca = new NodeCertificate(fs.readFileSync(tls.caFile));
  return leaf.checkIssued(ca) && leaf.verify(ca.publicKey) && !expiresSoon(leaf);
}

/**
 * Creates the local CA and a localhost server certificate under `<dataDir>/tls` on first use,
 * and reuses them afterwards; either is replaced when it is missing, invalid or within
 * 30 days of expiry.
 */
export async function ensureLocalTls(dataDir: string): Promise<LocalTls> {
  const dir = path.join(dataDir, "tls");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKeyFile = path.join(dir, "ca-key.pem");
  const tls: LocalTls = {
    caFile: path.join(dir, "ca.pem"),
    certFile: path.join(dir, "localhost.pem"),
    keyFile: path.join(dir, "localhost-key.pem"),
  };
  if (!authorityUsable(tls.caFile, caKeyFile)) {
    await createAuthority(tls.caFile, caKeyFile);
    fs.rmSync(tls.certFile, { force: true });
  }
  if (!serverCertificateUsable(tls)) await createServerCertificate(tls, caKeyFile);
  return tls;
}

export interface LocalTlsMaterial {
  files: LocalTls;
  /** The server certificate and key, as an HTTPS server takes them. */
  server: { cert: string; key: string };
  caPem: string;
}

/** ensureLocalTls, then the PEM contents for servers started in this process. */
export async function loadLocalTls(dataDir: string): Promise<LocalTlsMaterial> {
  const files = await ensureLocalTls(dataDir);
  return {
    files,
    server: {
      cert: fs.readFileSync(files.certFile, "utf8"),
      key: fs.readFileSync(files.keyFile, "utf8"),
    },
    caPem: fs.readFileSync(files.caFile, "utf8"),
  };
}
