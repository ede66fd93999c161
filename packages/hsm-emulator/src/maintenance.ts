import type { HsmContext } from "./context";
import { purgeExpiredKeys, rotateKey, rotationPolicyOf } from "./keys/lifecycle";
import { rotationDueAt } from "./keys/rotation-policy";
import * as store from "./store/keys";

/*
 * What the HSM does by itself as its clock advances: rotate keys whose rotation policy is due
 * (each version dated when it fell due, so a jump of the clock leaves the history a real HSM
 * would have), and purge soft-deleted keys at the end of their retention.
 */

const MAX_CATCH_UP = 100;
export function runMaintenance(ctx: HsmContext): { rotated: string[]; purged: string[] } {
  const rotated: string[] = [];
  const now = ctx.clock.nowSeconds();
  for (const key of store.keysWithPolicies(ctx.db, ctx.config.name)) {
    const policy = rotationPolicyOf(key);
    for (let step = 0; policy && step < MAX_CATCH_UP; step += 1) {
      const latest = store.latestVersion(ctx.db, ctx.config.name, key.name);
      const due = latest ? rotationDueAt(policy, latest) : null;
      if (due === null || due > now) break;
      try {
        rotateKey(ctx, key.name, true, due);
        rotated.push(key.name);
      } catch (error) {
        ctx.log.warn({ err: error, key: key.name }, "automatic rotation failed");
        break;
      }
    }
  }
  const purged = purgeExpiredKeys(ctx);
  if (rotated.length > 0 || purged.length > 0)
    ctx.log.info({ hsm: ctx.config.name, rotated, purged }, "maintenance");
  return { rotated, purged };
}
