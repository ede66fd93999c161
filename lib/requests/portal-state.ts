import "server-only";

import type { Db } from "@/lib/db/client";
import type { RequestKind } from "@/lib/requests/kinds";
import { currentPolicy } from "@/lib/requests/policies";
import type { TargetState } from "@/lib/requests/target-state";
import { findTemplate } from "@/lib/templates/store";

/**
 * The state of a portal kind's target, read from the portal's own tables (at filing and before
 * execution): the approval policy a policy.update replaces, the template a template.upsert does.
 */
export async function portalTargetState(
  db: Db,
  kind: RequestKind,
  target: Record<string, string>,
): Promise<TargetState> {
  if (kind === "template.upsert")
    return { template: (await findTemplate(db, target.template!))?.template ?? null };
  return { approvalPolicy: await currentPolicy(db, target.kind as RequestKind) };
}
