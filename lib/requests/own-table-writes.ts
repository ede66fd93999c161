import "server-only";

import { deleteSchedule, storeSchedule } from "@/lib/backup/schedules";
import type { Db } from "@/lib/db/client";
import type { ChangeRequestTable } from "@/lib/db/schema/requests/table";
import { recordGrant, revokeGrant } from "@/lib/grants/store";
import type { AnyItem, ItemOf, RequestKind } from "@/lib/requests/kinds";
import { storeApprovalPolicy } from "@/lib/requests/operations";
import { storeTemplate } from "@/lib/templates/store";

export type OwnTableWrite = (trx: Db, at: number) => Promise<void>;

/**
 * The portal's own table a kind changes (instead of an HSM, or beside it: a time-limited grant's
 * record), written in the transaction that settles its item (so the change and its outcome
 * commit together); undefined when there is none.
 */
export function ownTableWrite(
  request: ChangeRequestTable,
  item: AnyItem,
): OwnTableWrite | undefined {
  switch (request.kind as RequestKind) {
    case "policy.update":
      return (trx, at) => storeApprovalPolicy(trx, item as ItemOf<"policy.update">, request.id, at);
    case "backup-schedule.upsert":
      return (trx, at) =>
        storeSchedule(trx, request.hsm!, item as ItemOf<"backup-schedule.upsert">, request.id, at);
    case "backup-schedule.delete":
      return (trx) => deleteSchedule(trx, request.hsm!, (item as { name: string }).name);
    case "template.upsert":
      return (trx, at) => storeTemplate(trx, item as ItemOf<"template.upsert">, request.id, at);
    case "role-assignment.create": {
      const grant = item as ItemOf<"role-assignment.create"> & { name: string };
      if (!grant.expiresAfter) return undefined;
      return (trx, at) =>
        recordGrant(
          trx,
          {
            hsm: request.hsm!,
            assignment: grant.name,
            scope: grant.scope,
            roleDefinitionId: grant.roleDefinitionId,
            principalId: grant.principalId,
            expiresAfter: grant.expiresAfter!,
            requestId: request.id,
            requesterId: request.requester_id,
          },
          at,
        );
    }
    case "role-assignment.delete":
      return (trx, at) => revokeGrant(trx, request.hsm!, (item as { name: string }).name, at);
    default:
      return undefined;
  }
}
