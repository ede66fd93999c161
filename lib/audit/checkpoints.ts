import "server-only";

import pLimit from "p-limit";

import { CHECKPOINT_PREFIX } from "@/lib/audit/checkpoint-format";
import { readCheckpoint } from "@/lib/audit/checkpoint-jws";
import { getAuditKeys, type TrustedKey } from "@/lib/audit/signing-key";
import type { CheckpointClaim } from "@/lib/audit/verify";
import { applicationTokenSource } from "@/lib/auth/credentials";
import { getMsal } from "@/lib/auth/msal";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  azureContainer,
  azuriteContainer,
  type AppendOnlyContainer,
} from "@/lib/storage/append-only-container";

/*
 * The signed checkpoints of the chain, kept outside the database: locally in the launcher's
 * Azurite (container `keyward-audit`), in Azure in KEYWARD_AUDIT_CONTAINER_URL. Reading them
 * never pretends: storage that cannot be listed or read fails the whole read, so a verification
 * cannot come out "ok" for want of the evidence that would have contradicted it.
 */

export const LOCAL_AUDIT_CONTAINER = "keyward-audit";

let container: AppendOnlyContainer | undefined;

/** Where this portal keeps its checkpoints. */
export function portalCheckpointContainer(): AppendOnlyContainer {
  if (!container) {
    const env = getEnv();
    container =
      env.mode === "local"
        ? azuriteContainer(env.azurite.blobEndpoint, LOCAL_AUDIT_CONTAINER)
        : azureContainer(env.auditAnchor.containerUrl, applicationTokenSource(getMsal()));
  }
  return container;
}

const READS_IN_FLIGHT = 16;

/** Every checkpoint in `store`, in name (= chain) order, each checked against the trusted keys. */
export async function readCheckpointClaims(
  store: AppendOnlyContainer,
  trusted: ReadonlyMap<string, TrustedKey>,
): Promise<CheckpointClaim[]> {
  await store.ensureExists();
  const names: string[] = [];
  for await (const name of store.list(CHECKPOINT_PREFIX)) names.push(name);
  const limit = pLimit(READS_IN_FLIGHT);
  return Promise.all(
    names.map((name) =>
      limit(async () => readCheckpoint(name, (await store.read(name)).toString("utf8"), trusted)),
    ),
  );
}

/**
 * The portal's checkpoints for verifyAuditLog. Throws a 503 AppError when the keys or the storage
 * are unusable: the chain is then not verified at all, rather than verified against nothing.
 */
export async function checkpointClaims(): Promise<CheckpointClaim[]> {
  try {
    const keys = await getAuditKeys();
    return await readCheckpointClaims(portalCheckpointContainer(), keys.trusted);
  } catch (error) {
    throw new AppError(
      "unavailable",
      `The audit log was not verified: its signed checkpoints could not be read (${(error as Error).message}).`,
      { cause: error },
    );
  }
}
