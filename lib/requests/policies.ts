import "server-only";

import type { Db } from "@/lib/db/client";
import type { RequestKind } from "@/lib/requests/kind-names";
import { approvalPolicy, DEFAULT_POLICIES, type ApprovalPolicy } from "@/lib/requests/policy";

/* The approval policy in force for a kind: the stored one, or the built-in default. */
export async function currentPolicy(db: Db, kind: RequestKind): Promise<ApprovalPolicy> {
  const row = await db
    .selectFrom("approval_policy")
    .select("policy")
    .where("kind", "=", kind)
    .executeTakeFirst();
  return row ? approvalPolicy.parse(JSON.parse(row.policy)) : DEFAULT_POLICIES[kind];
}

/** Every kind's policy in force, for the policy page and the API. */
export async function allPolicies(db: Db): Promise<Record<RequestKind, ApprovalPolicy>> {
  const rows = await db.selectFrom("approval_policy").selectAll().execute();
  const policies = { ...DEFAULT_POLICIES };
  for (const row of rows)
    policies[row.kind as RequestKind] = approvalPolicy.parse(JSON.parse(row.policy));
  return policies;
}
