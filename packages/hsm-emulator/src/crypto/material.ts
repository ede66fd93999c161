import { createPrivateKey, generateKeyPair, generateKeyPairSync, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";

import { badParameter } from "../errors";

/*
 * Key material as private JSON Web Keys (base64url fields), the form in which it is sealed at
 * rest. Generation, import validation and the public part a response may show.
 */

export type StoredKty = "RSA-HSM" | "EC-HSM" | "oct-HSM";
export type Curve = "P-256" | "P-256K" | "P-384" | "P-521";

export interface PrivateJwk {
  kty: "RSA" | "EC" | "oct";
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  crv?: Curve;
  x?: string;
  y?: string;
  k?: string;
}

export const CURVES = { "P-256": p256, "P-256K": secp256k1, "P-384": p384, "P-521": p521 } as const;
export const RSA_SIZES = [2048, 3072, 4096];
export const OCT_SIZES = [128, 192, 256];

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
export const fromB64 = (value: string | undefined) => Buffer.from(value ?? "", "base64url");

export function storedKty(kty: string): StoredKty {
  const normalised = kty.toUpperCase().replace(/-HSM$/, "");
  if (normalised === "RSA") return "RSA-HSM";
  if (normalised === "EC") return "EC-HSM";
  if (normalised === "OCT" || normalised === "AES") return "oct-HSM";
  throw badParameter(`The key type (kty) ${kty} is not supported by Managed HSM.`);
}

export function generateMaterial(
  kty: StoredKty,
  options: { keySize?: number; publicExponent?: number; crv?: string },
): PrivateJwk {
  if (kty === "RSA-HSM") {
    const size = options.keySize ?? 2048;
    if (!RSA_SIZES.includes(size))
      throw badParameter(`Invalid key size ${size}: RSA keys are 2048, 3072 or 4096 bits.`);
    const exponent = options.publicExponent ?? 65537;
    if (exponent !== 65537 && exponent !== 3)
      throw badParameter(`Invalid public exponent ${exponent}.`);
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: size,
      publicExponent: exponent,
    });
    return privateKey.export({ format: "jwk" }) as PrivateJwk;
  }
  if (kty === "EC-HSM") {
    const crv = (options.crv ?? "P-256") as Curve;
    const curve = CURVES[crv];
    if (!curve) throw badParameter(`Invalid curve ${crv}: use P-256, P-256K, P-384 or P-521.`);
    const secret = curve.utils.randomSecretKey();
    const point = curve.getPublicKey(secret, false);
    const half = (point.length - 1) / 2;
    return {
      kty: "EC",
      crv,
      d: b64(secret),
      x: b64(point.slice(1, 1 + half)),
      y: b64(point.slice(1 + half)),
    };
  }
  const size = options.keySize ?? 256;
  if (!OCT_SIZES.includes(size))
    throw badParameter(`Invalid key size ${size}: AES keys are 128, 192 or 256 bits.`);
  return { kty: "oct", k: b64(randomBytes(size / 8)) };
}

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * generateMaterial, with RSA key generation (up to a second for 4096 bits) on libuv's thread
 * pool instead of the event loop, so that one key creation does not stall every other request.
 */
export async function generateMaterialAsync(
  kty: StoredKty,
  options: { keySize?: number; publicExponent?: number; crv?: string },
): Promise<PrivateJwk> {
  if (kty !== "RSA-HSM") return generateMaterial(kty, options);
  const size = options.keySize ?? 2048;
  const exponent = options.publicExponent ?? 65537;
  if (!RSA_SIZES.includes(size) || (exponent !== 65537 && exponent !== 3))
    return generateMaterial(kty, options);
  const { privateKey } = await generateKeyPairAsync("rsa", {
    modulusLength: size,
    publicExponent: exponent,
  });
  return privateKey.export({ format: "jwk" }) as PrivateJwk;
}

/** Checks an imported private JWK and returns it in stored form. */
export function importMaterial(jwk: Record<string, unknown>): {
  kty: StoredKty;
  material: PrivateJwk;
} {
  const kty = storedKty(typeof jwk.kty === "string" ? jwk.kty : "");
  const text = (name: string) => {
    const value = jwk[name];
    return typeof value === "string" ? value : undefined;
  };
  if (kty === "RSA-HSM") {
    const parts = ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(
      (name) => [name, text(name)] as const,
    );
    const missing = parts.filter(([, value]) => !value).map(([name]) => name);
    if (missing.length > 0)
      throw badParameter(`The RSA key to import lacks ${missing.join(", ")}.`);
    const material = { kty: "RSA", ...Object.fromEntries(parts) } as PrivateJwk;
    let bits: number;
    try {
      bits =
        createPrivateKey({ key: material as never, format: "jwk" }).asymmetricKeyDetails
          ?.modulusLength ?? 0;
    } catch {
      throw badParameter("The RSA key to import is not a valid private key.");
    }
    if (!RSA_SIZES.includes(bits))
      throw badParameter(`Invalid key size ${bits}: RSA keys are 2048, 3072 or 4096 bits.`);
    return { kty, material };
  }
  if (kty === "EC-HSM") {
    const crv = text("crv") as Curve | undefined;
    const curve = crv ? CURVES[crv] : undefined;
    if (!crv || !curve)
      throw badParameter(`Invalid curve ${String(jwk.crv)}: use P-256, P-256K, P-384 or P-521.`);
    const d = fromB64(text("d"));
    let point: Uint8Array;
    try {
      point = curve.getPublicKey(d, false);
    } catch {
      throw badParameter("The EC key to import is not a valid private key for its curve.");
    }
    const half = (point.length - 1) / 2;
    const material: PrivateJwk = {
      kty: "EC",
      crv,
      d: b64(d),
      x: b64(point.slice(1, 1 + half)),
      y: b64(point.slice(1 + half)),
    };
    if ((text("x") && text("x") !== material.x) || (text("y") && text("y") !== material.y))
      throw badParameter(
        "The EC key to import has a public point that does not match its private key.",
      );
    return { kty, material };
  }
  const k = fromB64(text("k"));
  if (![16, 24, 32].includes(k.length))
    throw badParameter("An AES key to import must be 128, 192 or 256 bits.");
  return { kty, material: { kty: "oct", k: b64(k) } };
}

/** What a response shows of a key: public components only; nothing at all for AES keys. */
export function publicJwk(material: PrivateJwk): Record<string, string> {
  if (material.kty === "RSA") return { n: material.n!, e: material.e! };
  if (material.kty === "EC") return { crv: material.crv!, x: material.x!, y: material.y! };
  return {};
}

export function keySizeOf(material: PrivateJwk): number | undefined {
  if (material.kty === "RSA") return fromB64(material.n).length * 8;
  if (material.kty === "oct") return fromB64(material.k).length * 8;
  return undefined;
}
