import "server-only";

import { createPublicKey } from "node:crypto";

import { hsmCall } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import {
  deletedKeyInfo,
  keyAttributes,
  keyDetail,
  keyVersionInfo,
  rotationPolicyInfo,
} from "@/lib/hsm/mappers";
import type {
  DeletedKeyInfo,
  KeyAttributes,
  KeyDetail,
  KeyVersionInfo,
  PublicKeyInfo,
  RotationPolicyInfo,
} from "@/lib/hsm/types";

/*
 * Reads of keys. `profile` picks the retry schedule: "background" for sync, "interactive" when
 * a person is waiting. The list endpoints return at most 25 items a page; pages are sequential
 * because each nextLink comes from the page before.
 */

export type CallProfile = "background" | "interactive";

const PAGE_SIZE = 25;

/** Every key's current attributes, a page at a time. */
export async function* keyPages(
  handle: HsmHandle,
  signal?: AbortSignal,
): AsyncGenerator<KeyAttributes[]> {
  const pages = handle.background.keys
    .listPropertiesOfKeys({ abortSignal: signal })
    .byPage({ maxPageSize: PAGE_SIZE });
  for (;;) {
    const next = await hsmCall(handle.name, "list keys", () => pages.next());
    if (next.done) return;
    yield next.value.map(keyAttributes);
  }
}

export function listDeletedKeys(
  handle: HsmHandle,
  signal?: AbortSignal,
): Promise<DeletedKeyInfo[]> {
  return hsmCall(handle.name, "list deleted keys", async () => {
    const deleted: DeletedKeyInfo[] = [];
    for await (const key of handle.background.keys.listDeletedKeys({ abortSignal: signal }))
      deleted.push(deletedKeyInfo(key));
    return deleted;
  });
}

export function getKeyDetail(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<KeyDetail> {
  return hsmCall(handle.name, `read key ${name}`, async () =>
    keyDetail(await handle[profile].keys.getKey(name)),
  );
}

export function getDeletedKeyDetail(
  handle: HsmHandle,
  name: string,
): Promise<KeyDetail & DeletedKeyInfo> {
  return hsmCall(handle.name, `read deleted key ${name}`, async () => {
    const deleted = await handle.background.keys.getDeletedKey(name);
    return { ...keyDetail(deleted), ...deletedKeyInfo(deleted) };
  });
}

export function listKeyVersions(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<KeyVersionInfo[]> {
  return hsmCall(handle.name, `list the versions of ${name}`, async () => {
    const versions: KeyVersionInfo[] = [];
    for await (const version of handle[profile].keys.listPropertiesOfKeyVersions(name))
      versions.push(keyVersionInfo(version));
    return versions.sort((a, b) => b.createdOn - a.createdOn);
  });
}

export function getRotationPolicy(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<RotationPolicyInfo | null> {
  return hsmCall(handle.name, `read the rotation policy of ${name}`, async () =>
    rotationPolicyInfo(await handle[profile].keys.getKeyRotationPolicy(name)),
  );
}

const NODE_CURVES: Record<string, string> = {
  "P-256": "P-256",
  "P-256K": "secp256k1",
  "P-384": "P-384",
  "P-521": "P-521",
};
const base64url = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("base64url");

/** The public half of an RSA or EC key version, as JWK and PEM (SPKI). AES keys have none. */
export function getPublicKey(
  handle: HsmHandle,
  name: string,
  version?: string,
): Promise<PublicKeyInfo | null> {
  return hsmCall(handle.name, `read the public key of ${name}`, async () => {
    const { key } = await handle.interactive.keys.getKey(name, version ? { version } : {});
    if (!key?.kty) return null;
    const family = key.kty.replace(/-HSM$/, "");
    let jwk: Record<string, string>;
    let nodeJwk: Record<string, string>;
    if (family === "RSA") {
      jwk = { kty: "RSA", n: base64url(key.n), e: base64url(key.e) };
      nodeJwk = jwk;
    } else if (family === "EC" && key.crv && NODE_CURVES[key.crv]) {
      jwk = { kty: "EC", crv: key.crv, x: base64url(key.x), y: base64url(key.y) };
      nodeJwk = { ...jwk, crv: NODE_CURVES[key.crv]! };
    } else return null;
    if (key.kid) jwk.kid = key.kid;
    const pem = createPublicKey({ key: nodeJwk, format: "jwk" })
      .export({ type: "spki", format: "pem" })
      .toString();
    return { jwk, pem };
  });
}
