import type { HsmContext } from "../context";
import type { StoredKty } from "../crypto/material";
import type { OperationKey } from "../crypto/operations";
import { forbidden } from "../errors";
import { materialOf, resolveVersion } from "./lifecycle";

/*
 * A key version ready for a cryptographic operation: enabled, inside its nbf/exp window, and
 * permitting the operation in its key_ops. Refusals are 403 Forbidden, as with Key Vault.
 */

export type KeyOperationName = "encrypt" | "decrypt" | "wrapKey" | "unwrapKey" | "sign" | "verify";

const CLOCK_SKEW_SECONDS = 300;

export function usableKey(
  ctx: HsmContext,
  name: string,
  version: string | undefined,
  operation: KeyOperationName,
) {
  const { key, row } = resolveVersion(ctx, name, version);
  const now = ctx.clock.nowSeconds();
  if (row.enabled !== 1)
    throw forbidden(`Operation ${operation} is not allowed on a disabled key.`);
  if (row.nbf !== null && now + CLOCK_SKEW_SECONDS < row.nbf)
    throw forbidden(`Operation ${operation} is not allowed on a key that is not yet valid (nbf).`);
  if (row.exp !== null && now - CLOCK_SKEW_SECONDS > row.exp)
    throw forbidden(`Operation ${operation} is not allowed on an expired key.`);
  const keyOps = JSON.parse(row.key_ops) as string[];
  if (!keyOps.includes(operation))
    throw forbidden(
      `Operation ${operation} is not permitted on this key (key_ops: ${keyOps.join(", ")}).`,
    );
  const operationKey: OperationKey = { kty: row.kty as StoredKty, material: materialOf(ctx, row) };
  return { name: key.name, row, key: operationKey };
}
