import "server-only";

import type { KeyType } from "@azure/keyvault-keys";

import { AppError } from "@/lib/errors";
import { hsmCall, nullIfNotFound } from "@/lib/hsm/errors";
import type { HsmHandle } from "@/lib/hsm/handle";
import { toSdkJsonWebKey, withoutRequest } from "@/lib/hsm/imported-jwk";
import type { CallProfile } from "@/lib/hsm/keys";
import { deletedKeyInfo, keyDetail, rotationPolicyInfo } from "@/lib/hsm/mappers";
import { settlePoller } from "@/lib/hsm/settle-poller";
import type {
  DeletedKeyInfo,
  ImportedJwk,
  KeyDetail,
  KeyImportOptions,
  KeyUpdate,
  NewKeySpec,
  RotationPolicyChange,
  RotationPolicyInfo,
} from "@/lib/hsm/types";

/*
 * Writes to keys, for the change-request executor. Each is one HSM request on the background
 * schedule, whose retry policy sends a write again only after 429 or 503 (the HSM did not take
 * it); any other failure is for the caller to judge with isOutcomeUnknown. The find* reads answer
 * null for a 404, so that the executor can tell "absent" from "failed".
 */

const HSM_KTY: Record<NewKeySpec["kty"], KeyType> = {
  RSA: "RSA-HSM",
  EC: "EC-HSM",
  oct: "oct-HSM",
};

const date = (ms: number | null | undefined) => (ms == null ? undefined : new Date(ms));

/** Creates a key, or a new version of an existing one. Always HSM-backed. */
export function createKey(handle: HsmHandle, name: string, spec: NewKeySpec): Promise<KeyDetail> {
  return hsmCall(handle.name, `create key ${name}`, async () =>
    keyDetail(
      await handle.background.keys.createKey(name, HSM_KTY[spec.kty], {
        keySize: spec.kty === "EC" ? undefined : spec.size,
        curve: spec.kty === "EC" ? spec.curve : undefined,
        keyOps: spec.keyOps,
        enabled: spec.enabled,
        notBefore: date(spec.notBefore),
        expiresOn: date(spec.expiresOn),
        tags: spec.tags,
        exportable: spec.exportable,
      }),
    ),
  );
}

/**
 * Imports a key from a JWK with its private members, as an HSM key. The key material goes to the
 * HSM and nowhere else: a failure's cause keeps only its status and code, not the request.
 */
export function importKey(
  handle: HsmHandle,
  name: string,
  jwk: ImportedJwk,
  options: KeyImportOptions,
): Promise<KeyDetail> {
  return hsmCall(handle.name, `import key ${name}`, async () => {
    const key = toSdkJsonWebKey(handle.name, name, jwk, options.keyOps);
    try {
      return keyDetail(
        await handle.background.keys.importKey(name, key, {
          hardwareProtected: true,
          enabled: options.enabled,
          notBefore: date(options.notBefore),
          expiresOn: date(options.expiresOn),
          tags: options.tags,
        }),
      );
    } catch (error) {
      throw withoutRequest(error);
    }
  });
}

/**
 * Changes the current version's properties; members left out stay as they are. `null` clears a
 * date: the emulator does, but Microsoft's services are reported to keep a date once set, so when
 * the answer still carries one this fails (not_implemented) rather than report a change that did
 * not happen. The other changes of that request were applied.
 */
export function updateKey(handle: HsmHandle, name: string, change: KeyUpdate): Promise<KeyDetail> {
  return hsmCall(handle.name, `update key ${name}`, async () => {
    // The SDK serialises a null date as JSON null (its type says Date | undefined).
    const orNull = (ms: number | null | undefined) =>
      (ms === null ? null : date(ms)) as Date | undefined;
    const detail = keyDetail(
      await handle.background.keys.updateKeyProperties(name, {
        enabled: change.enabled,
        notBefore: orNull(change.notBefore),
        expiresOn: orNull(change.expiresOn),
        tags: change.tags,
        keyOps: change.keyOps,
      }),
    );
    const kept = (["notBefore", "expiresOn"] as const).filter(
      (field) => change[field] === null && detail[field] !== null,
    );
    if (kept.length > 0)
      throw new AppError(
        "not_implemented",
        `HSM ${handle.name} kept the ${kept.map((f) => (f === "notBefore" ? "activation date" : "expiry date")).join(" and ")} of key ${name}: it does not clear a date once set (the other changes were applied).`,
      );
    return detail;
  });
}

/** A new version now. Managed HSM requires the key to have a rotation policy. */
export function rotateKey(handle: HsmHandle, name: string): Promise<KeyDetail> {
  return hsmCall(handle.name, `rotate key ${name}`, async () =>
    keyDetail(await handle.background.keys.rotateKey(name)),
  );
}

/** Replaces the rotation policy; no actions and no expiresIn clears it (then null). */
export function setRotationPolicy(
  handle: HsmHandle,
  name: string,
  policy: RotationPolicyChange,
): Promise<RotationPolicyInfo | null> {
  return hsmCall(handle.name, `set the rotation policy of ${name}`, async () =>
    rotationPolicyInfo(
      await handle.background.keys.updateKeyRotationPolicy(name, {
        lifetimeActions: policy.lifetimeActions.map((entry) => ({ ...entry })),
        expiresIn: policy.expiresIn ?? undefined,
      }),
    ),
  );
}

/**
 * Soft-deletes a key (every version), then waits, for at most 30 s, until the HSM shows it as
 * deleted; past that, the answer to the DELETE stands. A key that is not live is not_found.
 */
export function deleteKey(handle: HsmHandle, name: string): Promise<DeletedKeyInfo> {
  return hsmCall(handle.name, `delete key ${name}`, async () =>
    deletedKeyInfo(
      await settlePoller(handle.name, `delete key ${name}`, (options) =>
        handle.background.keys.beginDeleteKey(name, options),
      ),
    ),
  );
}

/**
 * Recovers a soft-deleted key, then waits, for at most 30 s, until it is readable again. The SDK's
 * poller reads the key first, so a key that is already live is returned as it is (a retry after
 * an unknown outcome is harmless).
 */
export function recoverKey(handle: HsmHandle, name: string): Promise<KeyDetail> {
  return hsmCall(handle.name, `recover key ${name}`, async () =>
    keyDetail(
      await settlePoller(handle.name, `recover key ${name}`, (options) =>
        handle.background.keys.beginRecoverDeletedKey(name, options),
      ),
    ),
  );
}

/** Deletes a soft-deleted key for good. Refused while purge protection holds it. */
export function purgeKey(handle: HsmHandle, name: string): Promise<void> {
  return hsmCall(handle.name, `purge key ${name}`, () =>
    handle.background.keys.purgeDeletedKey(name),
  );
}

/** The key's current version, or null when there is no live key of that name. */
export function findKey(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<KeyDetail | null> {
  return nullIfNotFound(
    hsmCall(handle.name, `read key ${name}`, async () =>
      keyDetail(await handle[profile].keys.getKey(name)),
    ),
  );
}

/** The soft-deleted key, or null when no key of that name is in the deleted state. */
export function findDeletedKey(
  handle: HsmHandle,
  name: string,
  profile: CallProfile,
): Promise<(KeyDetail & DeletedKeyInfo) | null> {
  return nullIfNotFound(
    hsmCall(handle.name, `read deleted key ${name}`, async () => {
      const deleted = await handle[profile].keys.getDeletedKey(name);
      return { ...keyDetail(deleted), ...deletedKeyInfo(deleted) };
    }),
  );
}
