import "server-only";

import type { CheckpointClaim } from "@/lib/audit/verify";

/*
 * The signed checkpoints of the chain, kept outside the database. SCAFFOLD: replaced by the
 * anchoring work (signing key, blob storage) before this lands.
 */
export async function checkpointClaims(): Promise<CheckpointClaim[]> {
  return Promise.resolve([]);
}
